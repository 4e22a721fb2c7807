CREATE INDEX audit_by_case ON audit (case_id, id);

CREATE INDEX case_calls_by_case ON case_calls (case_id, id);

CREATE INDEX case_history_by_case ON case_history (case_id, id);

CREATE INDEX cases_by_created ON cases (created_at, id);

CREATE INDEX cases_by_date_of_birth ON cases (coalesce(date_of_birth, ''), id);

CREATE INDEX cases_by_follow_up ON cases (coalesce(follow_up, '9999-12-31'), id);

CREATE INDEX cases_by_indication ON cases (coalesce(indication, ''), id);

CREATE INDEX cases_by_name ON cases (name_key, id);

CREATE INDEX cases_by_name_dob ON cases (name_key, date_of_birth);

CREATE INDEX cases_by_reference ON cases (reference, id);

CREATE INDEX cases_by_status ON cases (status, id);

CREATE INDEX cases_by_updated ON cases (updated_at, id);

CREATE INDEX cases_due ON cases (coalesce(follow_up, '9999-12-31')) WHERE status != 'closed';

CREATE INDEX plan_versions_by_case ON plan_versions (case_id, id);

CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            who TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('created', 'viewed', 'edited', 'imported', 'exported', 'plan_generated', 'plan_saved', 'printed', 'emailed', 'data_exported', 'erased', 'backup_restored', 'passphrase_changed', 'encryption_enabled', 'call_logged')),
            case_id INTEGER,
            reference TEXT,
            detail TEXT NOT NULL DEFAULT ''
        );

CREATE TABLE case_calls (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            at TEXT NOT NULL,
            who TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            outcome TEXT,
            follow_up TEXT
        );

CREATE TABLE case_history (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            at TEXT NOT NULL,
            who TEXT NOT NULL,
            field TEXT NOT NULL,
            old TEXT,
            new TEXT
        );

CREATE TABLE cases (
            id INTEGER PRIMARY KEY,
            reference TEXT NOT NULL UNIQUE,
            full_name TEXT NOT NULL DEFAULT '',
            name_key TEXT NOT NULL DEFAULT '',
            date_of_birth TEXT,
            indication TEXT,
            notes TEXT NOT NULL DEFAULT '',
            words TEXT NOT NULL DEFAULT ' ',
            status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'counseling', 'plan_sent', 'follow_up', 'closed')),
            follow_up TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            sample INTEGER NOT NULL DEFAULT 0,
            problems INTEGER NOT NULL DEFAULT 0,
            document TEXT NOT NULL
        );

CREATE VIRTUAL TABLE cases_fts USING fts5(words, content='cases', content_rowid='id', tokenize='unicode61 remove_diacritics 0', prefix='1 2 3');

CREATE TABLE plan_versions (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            who TEXT NOT NULL,
            locale TEXT NOT NULL,
            destinations TEXT NOT NULL,
            totals TEXT NOT NULL,
            pack_version TEXT NOT NULL,
            snapshot TEXT NOT NULL,
            model TEXT NOT NULL,
            pdf BLOB NOT NULL,
            sent_at TEXT
        );

CREATE TRIGGER cases_ad AFTER DELETE ON cases BEGIN INSERT INTO cases_fts(cases_fts, rowid, words) VALUES ('delete', old.id, old.words); END;

CREATE TRIGGER cases_ai AFTER INSERT ON cases BEGIN INSERT INTO cases_fts(rowid, words) VALUES (new.id, new.words); END;

CREATE TRIGGER cases_au AFTER UPDATE OF words ON cases BEGIN INSERT INTO cases_fts(cases_fts, rowid, words) VALUES ('delete', old.id, old.words); INSERT INTO cases_fts(rowid, words) VALUES (new.id, new.words); END;
