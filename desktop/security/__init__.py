"""Security: the start gate and unlock, the idle lock, the encryption and backup settings, the audit log viewer."""
