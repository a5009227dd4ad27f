/**
 * The survey engine: XLSForm `relevant`, `constraint`, `required`, `calculate` and dynamic
 * `default` evaluated on the phone by openrosa-xpath-evaluator (the ODK expression language,
 * maintained by Enketo) over an XML instance built from the answers (docs/pwa.md, Surveys).
 * Loaded only by the survey screens.
 */
import orxe from 'openrosa-xpath-evaluator';
import { allQuestions, isEmpty } from './answers.js';

const ROOT = 'data';
let evaluator = null;

/** Each question's path in the instance: /data/group/name. */
export function questionPaths(definition) {
  return new Map(allQuestions(definition.questions)
    .map(({ question, parents }) => [question.name, `/${[ROOT, ...parents, question.name].join('/')}`]));
}

/** XLSForm `${name}` references rewritten to instance paths; an unknown name is an error. */
export function rewriteRefs(expression, paths) {
  return String(expression).replace(/\$\{\s*([^}\s]+)\s*\}/g, (_, name) => {
    const path = paths.get(name);
    if (!path) throw new Error(`unknown question \${${name}}`);
    return path;
  });
}

/** An answer as the instance holds it (ODK's text forms: space-separated choices, "lat lon alt acc"). */
export function instanceText(question, value) {
  if (isEmpty(value) || (typeof value === 'object' && value.invalid)) return '';
  if (Array.isArray(value)) return value.join(' ');
  if (question.type === 'geopoint') return `${value.lat} ${value.lon} 0 ${value.accuracy_m ?? 0}`;
  return String(value);
}

/** The XML instance document of a form's answers, and each question's element. */
export function buildInstance(definition, answers) {
  const doc = document.implementation.createDocument(null, ROOT, null);
  const nodes = new Map();
  const add = (parent, questions) => {
    for (const question of questions ?? []) {
      const el = doc.createElement(question.name);
      parent.appendChild(el);
      nodes.set(question.name, el);
      if (question.type === 'group') add(el, question.children);
      else el.textContent = instanceText(question, answers[question.name]);
    }
  };
  add(doc.documentElement, definition.questions);
  return { doc, nodes };
}

function run(expression, paths, context, type) {
  evaluator ??= orxe();
  const result = evaluator.evaluate(rewriteRefs(expression, paths), context, null, type, null);
  if (type === XPathResult.BOOLEAN_TYPE) return result.booleanValue;
  if (type === XPathResult.NUMBER_TYPE) return result.numberValue;
  return result.stringValue;
}

/** A boolean expression at a question (`.` is its own value). */
export function evaluateBoolean(expression, paths, context) {
  return run(expression, paths, context, XPathResult.BOOLEAN_TYPE);
}

/** A string expression (calculate, dynamic default). */
export function evaluateString(expression, paths, context) {
  return run(expression, paths, context, XPathResult.STRING_TYPE);
}

/** A `default` that is an expression (today(), now(), a reference) rather than a literal. */
export function isDynamicDefault(text) {
  return typeof text === 'string' && /[($]/.test(text);
}

/**
 * Defaults of a new survey: literal ones as given, dynamic ones evaluated once when the survey
 * starts (ODK's odk-instance-first-load), in document order.
 */
export function startingAnswers(definition, literalDefault) {
  const answers = {};
  const paths = questionPaths(definition);
  for (const { question } of allQuestions(definition.questions)) {
    if (question.type === 'group' || question.type === 'note' || !question.default) continue;
    if (!isDynamicDefault(question.default)) {
      answers[question.name] = literalDefault(question);
      continue;
    }
    try {
      const { doc } = buildInstance(definition, answers);
      const text = evaluateString(question.default, paths, doc);
      answers[question.name] = text === '' ? null : text;
    } catch {
      answers[question.name] = null;
    }
  }
  return answers;
}

function calculatedValue(question, text) {
  if (text === '' || text === 'NaN') return null;
  if (question.type !== 'calculate') return text;
  const n = Number(text);
  return /^-?\d+(\.\d+)?$/.test(text) && Number.isFinite(n) ? n : text;
}

/**
 * Evaluate the whole form over the answers: the calculated values, the questions relevant now
 * (a group's relevance covers its children; a question that is not relevant counts as empty
 * for the ones after it), and the problems of the relevant ones: `required` (empty),
 * `constraint` (false), `type` (a number that is not one). An expression that cannot be
 * evaluated is named in `broken` and neither hides nor blocks its question.
 */
export function evaluateSurvey(definition, answers) {
  const paths = questionPaths(definition);
  const values = { ...answers };
  const { doc, nodes } = buildInstance(definition, values);
  const broken = [];
  const list = allQuestions(definition.questions);
  const guard = (name, fn, fallback) => {
    try {
      return fn();
    } catch (error) {
      broken.push({ name, message: String(error?.message ?? error) });
      return fallback;
    }
  };
  // Calculations first, twice, so one that reads a later calculation settles too.
  for (let pass = 0; pass < 2; pass += 1) {
    for (const { question } of list) {
      if (!question.calculation) continue;
      const text = guard(question.name, () => evaluateString(question.calculation, paths, nodes.get(question.name)), '');
      values[question.name] = calculatedValue(question, text);
      nodes.get(question.name).textContent = instanceText(question, values[question.name]);
    }
  }
  const relevant = new Set();
  const problems = {};
  const hiddenGroups = new Set();
  for (const { question, parents } of list) {
    const node = nodes.get(question.name);
    const shown = !parents.some((p) => hiddenGroups.has(p))
      && (!question.relevant || guard(question.name, () => evaluateBoolean(question.relevant, paths, node), true));
    if (!shown) {
      if (question.type === 'group') hiddenGroups.add(question.name);
      if (question.type !== 'group') node.textContent = '';
      continue;
    }
    relevant.add(question.name);
    const value = values[question.name];
    if (value && typeof value === 'object' && value.invalid) {
      problems[question.name] = { kind: 'type', type: value.invalid };
    } else if (isEmpty(value)) {
      if (question.required) problems[question.name] = { kind: 'required', message: question.required_message ?? null };
    } else if (question.constraint
      && !guard(question.name, () => evaluateBoolean(question.constraint, paths, node), true)) {
      problems[question.name] = { kind: 'constraint', message: question.constraint_message ?? null };
    }
  }
  return { values, relevant, problems, broken };
}
