"""Where the data lives, for both faces (light: no database module is loaded with it)."""

from db.paths import (
    PRIVATE_FILE,
    PRIVATE_FOLDER,
    cases_db_path,
    data_dir,
    knowledge_db_path,
    outbox_path,
    secure_data_dir,
)

__all__ = [
    "PRIVATE_FILE",
    "PRIVATE_FOLDER",
    "cases_db_path",
    "data_dir",
    "knowledge_db_path",
    "outbox_path",
    "secure_data_dir",
]
