CREATE TABLE coordinator_costs (country TEXT NOT NULL, item TEXT NOT NULL, low TEXT NOT NULL, high TEXT NOT NULL, entered_at TEXT NOT NULL, PRIMARY KEY (country, item));

CREATE TABLE coordinator_rates (base TEXT NOT NULL, quote TEXT NOT NULL, rate TEXT NOT NULL, as_of TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', entered_at TEXT NOT NULL, PRIMARY KEY (base, quote));

CREATE TABLE pack_documents (kind TEXT PRIMARY KEY, content TEXT NOT NULL);

CREATE TABLE pack_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE VIRTUAL TABLE search_grams USING fts5(kind UNINDEXED, ref UNINDEXED, locale UNINDEXED, subtitle UNINDEXED, title, body, tokenize = 'trigram');

CREATE VIRTUAL TABLE search_words USING fts5(kind UNINDEXED, ref UNINDEXED, locale UNINDEXED, subtitle UNINDEXED, title, body, tokenize = 'unicode61 remove_diacritics 2');
