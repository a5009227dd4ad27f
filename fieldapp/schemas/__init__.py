"""marshmallow schemas mirroring models/, with role-specific views."""
