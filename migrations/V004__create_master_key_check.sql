-- A value sealed with the master key when the database is first used. At start-up the server opens
-- it: a different master key (a lost key file, a second instance that generated its own) stops the
-- server with a clear message instead of failing every key read later.
CREATE TABLE master_key_check (
    id         INTEGER                  NOT NULL PRIMARY KEY CHECK (id = 1),
    sealed     BYTEA                    NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
