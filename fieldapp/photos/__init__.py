"""Photos: resumable uploads into a content-addressed store, with fast and safe derivatives.

processing (pure: bytes in, derivatives out), storage (store interface + local backend),
partials and uploads (tus upload state), access (who may see), cleanup (garbage collection),
settings (configuration and app wiring).
"""
