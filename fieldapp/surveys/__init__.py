"""Surveys the province defines itself (docs/surveys.md): XLSForm forms read with pyxform, the
definition the phone renders, the server's checks of answers, results and exports."""
