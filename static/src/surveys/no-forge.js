// openrosa-xpath-evaluator's digest() would load node-forge (300 KB); our forms do not use
// digest(), so the build gives it this module instead and digest() reports itself unavailable.
throw new Error('digest() is not available in fieldapp surveys');
