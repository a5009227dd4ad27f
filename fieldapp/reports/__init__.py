"""Results for the province and the public: dashboard figures, exports, open data, Open311
and the public page. Figures come from SQL aggregates; who sees which rows comes from
fieldapp/auth/visibility.py alone (docs/architecture.md)."""
