"""Gammu SMSD SQL schema, version 17, inside Layan's own database.

Columns, types, defaults and checks follow /usr/share/doc/gammu-smsd/examples/{sqlite,pgsql}.sql of
Gammu 1.42 exactly, because gammu-smsd writes and reads them by name. Two deliberate differences:
- tables carry a `gammu_` prefix so they cannot collide with Django tables; gammu-smsd (>= 1.37.1) is told
  the names in the `[tables]` section of the smsdrc that `manage.py gammu_config` prints;
- the PostgreSQL trigger function has its own name and no `CREATE LANGUAGE plpgsql` (built in since 9.0);
  the serial sequences keep Gammu's names (`inbox_ID_seq` …), which its PostgreSQL driver hard-codes.
"""

# Gammu's logical table name -> our table name (written to the smsdrc [tables] section).
TABLES = {
    "gammu": "gammu",
    "inbox": "gammu_inbox",
    "outbox": "gammu_outbox",
    "outbox_multipart": "gammu_outbox_multipart",
    "sentitems": "gammu_sentitems",
    "phones": "gammu_phones",
}
SCHEMA_VERSION = 17  # written literally in the INSERTs below

_CODINGS = "('Default_No_Compression','Unicode_No_Compression','8bit','Default_Compression','Unicode_Compression')"
_STATUSES = (
    "('SendingOK','SendingOKNoReport','SendingError','DeliveryOK','DeliveryFailed','DeliveryPending',"
    "'DeliveryUnknown','Error'"
)

SQLITE = [
    "CREATE TABLE gammu (Version INTEGER NOT NULL DEFAULT '0' PRIMARY KEY)",
    "INSERT INTO gammu (Version) VALUES (17)",
    f"""CREATE TABLE gammu_inbox (
  UpdatedInDB NUMERIC NOT NULL DEFAULT (datetime('now')),
  ReceivingDateTime NUMERIC NOT NULL DEFAULT (datetime('now')),
  Text TEXT NOT NULL,
  SenderNumber TEXT NOT NULL DEFAULT '',
  Coding TEXT NOT NULL DEFAULT 'Default_No_Compression',
  UDH TEXT NOT NULL,
  SMSCNumber TEXT NOT NULL DEFAULT '',
  Class INTEGER NOT NULL DEFAULT '-1',
  TextDecoded TEXT NOT NULL DEFAULT '',
  ID INTEGER PRIMARY KEY AUTOINCREMENT,
  RecipientID TEXT NOT NULL,
  Processed TEXT NOT NULL DEFAULT 'false',
  Status INTEGER NOT NULL DEFAULT '-1',
  CHECK (Coding IN {_CODINGS})
)""",
    """CREATE TRIGGER gammu_update_inbox_time UPDATE ON gammu_inbox
  BEGIN UPDATE gammu_inbox SET UpdatedInDB = datetime('now') WHERE ID = old.ID; END""",
    "CREATE INDEX gammu_inbox_processed ON gammu_inbox(Processed, RecipientID)",
    f"""CREATE TABLE gammu_outbox (
  UpdatedInDB NUMERIC NOT NULL DEFAULT (datetime('now')),
  InsertIntoDB NUMERIC NOT NULL DEFAULT (datetime('now')),
  SendingDateTime NUMERIC NOT NULL DEFAULT (datetime('now')),
  SendBefore time NOT NULL DEFAULT '23:59:59',
  SendAfter time NOT NULL DEFAULT '00:00:00',
  Text TEXT,
  DestinationNumber TEXT NOT NULL DEFAULT '',
  Coding TEXT NOT NULL DEFAULT 'Default_No_Compression',
  UDH TEXT,
  Class INTEGER DEFAULT '-1',
  TextDecoded TEXT NOT NULL DEFAULT '',
  ID INTEGER PRIMARY KEY AUTOINCREMENT,
  MultiPart TEXT NOT NULL DEFAULT 'false',
  RelativeValidity INTEGER DEFAULT '-1',
  SenderID TEXT,
  SendingTimeOut NUMERIC NOT NULL DEFAULT (datetime('now')),
  DeliveryReport TEXT DEFAULT 'default',
  CreatorID TEXT NOT NULL,
  Retries INTEGER DEFAULT '0',
  Priority INTEGER DEFAULT '0',
  Status TEXT NOT NULL DEFAULT 'Reserved',
  StatusCode INTEGER NOT NULL DEFAULT '-1',
  CHECK (Coding IN {_CODINGS}),
  CHECK (DeliveryReport IN ('default','yes','no')),
  CHECK (Status IN {_STATUSES},'Reserved'))
)""",
    "CREATE INDEX gammu_outbox_date ON gammu_outbox(SendingDateTime, SendingTimeOut)",
    "CREATE INDEX gammu_outbox_sender ON gammu_outbox(SenderID)",
    "CREATE INDEX gammu_outbox_creator ON gammu_outbox(CreatorID)",
    """CREATE TRIGGER gammu_update_outbox_time UPDATE ON gammu_outbox
  BEGIN UPDATE gammu_outbox SET UpdatedInDB = datetime('now') WHERE ID = old.ID; END""",
    f"""CREATE TABLE gammu_outbox_multipart (
  Text TEXT,
  Coding TEXT NOT NULL DEFAULT 'Default_No_Compression',
  UDH TEXT,
  Class INTEGER DEFAULT '-1',
  TextDecoded TEXT DEFAULT NULL,
  ID INTEGER,
  SequencePosition INTEGER NOT NULL DEFAULT '1',
  Status TEXT NOT NULL DEFAULT 'Reserved',
  StatusCode INTEGER NOT NULL DEFAULT '-1',
  CHECK (Coding IN {_CODINGS}),
  CHECK (Status IN {_STATUSES},'Reserved')),
  PRIMARY KEY (ID, SequencePosition)
)""",
    """CREATE TABLE gammu_phones (
  ID TEXT NOT NULL,
  UpdatedInDB NUMERIC NOT NULL DEFAULT (datetime('now')),
  InsertIntoDB NUMERIC NOT NULL DEFAULT (datetime('now')),
  TimeOut NUMERIC NOT NULL DEFAULT (datetime('now')),
  Send TEXT NOT NULL DEFAULT 'no',
  Receive TEXT NOT NULL DEFAULT 'no',
  IMEI TEXT PRIMARY KEY NOT NULL,
  IMSI TEXT NOT NULL,
  NetCode TEXT DEFAULT 'ERROR',
  NetName TEXT DEFAULT 'ERROR',
  Client TEXT NOT NULL,
  Battery INTEGER NOT NULL DEFAULT -1,
  Signal INTEGER NOT NULL DEFAULT -1,
  Sent INTEGER NOT NULL DEFAULT 0,
  Received INTEGER NOT NULL DEFAULT 0
)""",
    """CREATE TRIGGER gammu_update_phones_time UPDATE ON gammu_phones
  BEGIN UPDATE gammu_phones SET UpdatedInDB = datetime('now') WHERE IMEI = old.IMEI; END""",
    f"""CREATE TABLE gammu_sentitems (
  UpdatedInDB NUMERIC NOT NULL DEFAULT (datetime('now')),
  InsertIntoDB NUMERIC NOT NULL DEFAULT (datetime('now')),
  SendingDateTime NUMERIC NOT NULL DEFAULT (datetime('now')),
  DeliveryDateTime NUMERIC NULL,
  Text TEXT NOT NULL,
  DestinationNumber TEXT NOT NULL DEFAULT '',
  Coding TEXT NOT NULL DEFAULT 'Default_No_Compression',
  UDH TEXT NOT NULL,
  SMSCNumber TEXT NOT NULL DEFAULT '',
  Class INTEGER NOT NULL DEFAULT '-1',
  TextDecoded TEXT NOT NULL DEFAULT '',
  ID INTEGER,
  SenderID TEXT NOT NULL,
  SequencePosition INTEGER NOT NULL DEFAULT '1',
  Status TEXT NOT NULL DEFAULT 'SendingOK',
  StatusError INTEGER NOT NULL DEFAULT '-1',
  TPMR INTEGER NOT NULL DEFAULT '-1',
  RelativeValidity INTEGER NOT NULL DEFAULT '-1',
  CreatorID TEXT NOT NULL,
  StatusCode INTEGER NOT NULL DEFAULT '-1',
  CHECK (Status IN {_STATUSES})),
  CHECK (Coding IN {_CODINGS}),
  PRIMARY KEY (ID, SequencePosition)
)""",
    "CREATE INDEX gammu_sentitems_date ON gammu_sentitems(DeliveryDateTime)",
    "CREATE INDEX gammu_sentitems_tpmr ON gammu_sentitems(TPMR)",
    "CREATE INDEX gammu_sentitems_dest ON gammu_sentitems(DestinationNumber)",
    "CREATE INDEX gammu_sentitems_sender ON gammu_sentitems(SenderID)",
    "CREATE INDEX gammu_sentitems_creator ON gammu_sentitems(CreatorID)",
    """CREATE TRIGGER gammu_update_sentitems_time UPDATE ON gammu_sentitems
  BEGIN UPDATE gammu_sentitems SET UpdatedInDB = datetime('now') WHERE ID = old.ID; END""",
]

_PG_TS = "timestamp(0) WITHOUT time zone NOT NULL DEFAULT LOCALTIMESTAMP(0)"

POSTGRESQL = [
    """CREATE OR REPLACE FUNCTION gammu_update_timestamp() RETURNS trigger AS $gammu_update_timestamp$
  BEGIN
    NEW."UpdatedInDB" := LOCALTIMESTAMP(0);
    RETURN NEW;
  END;
$gammu_update_timestamp$ LANGUAGE plpgsql""",
    """CREATE TABLE gammu ("Version" smallint NOT NULL DEFAULT '0' PRIMARY KEY)""",
    """INSERT INTO gammu ("Version") VALUES (17)""",
    f"""CREATE TABLE gammu_inbox (
  "UpdatedInDB" {_PG_TS},
  "ReceivingDateTime" {_PG_TS},
  "Text" text NOT NULL,
  "SenderNumber" varchar(20) NOT NULL DEFAULT '',
  "Coding" varchar(255) NOT NULL DEFAULT 'Default_No_Compression',
  "UDH" text NOT NULL,
  "SMSCNumber" varchar(20) NOT NULL DEFAULT '',
  "Class" integer NOT NULL DEFAULT '-1',
  "TextDecoded" text NOT NULL DEFAULT '',
  "ID" serial PRIMARY KEY,
  "RecipientID" text NOT NULL,
  "Processed" boolean NOT NULL DEFAULT 'false',
  "Status" integer NOT NULL DEFAULT '-1',
  CHECK ("Coding" IN {_CODINGS})
)""",
    """CREATE INDEX gammu_inbox_unprocessed ON gammu_inbox ("RecipientID", "ID") WHERE NOT "Processed\"""",
    f"""CREATE TABLE gammu_outbox (
  "UpdatedInDB" {_PG_TS},
  "InsertIntoDB" {_PG_TS},
  "SendingDateTime" timestamp NOT NULL DEFAULT LOCALTIMESTAMP(0),
  "SendBefore" time NOT NULL DEFAULT '23:59:59',
  "SendAfter" time NOT NULL DEFAULT '00:00:00',
  "Text" text,
  "DestinationNumber" varchar(20) NOT NULL DEFAULT '',
  "Coding" varchar(255) NOT NULL DEFAULT 'Default_No_Compression',
  "UDH" text,
  "Class" integer DEFAULT '-1',
  "TextDecoded" text NOT NULL DEFAULT '',
  "ID" serial PRIMARY KEY,
  "MultiPart" boolean NOT NULL DEFAULT 'false',
  "RelativeValidity" integer DEFAULT '-1',
  "SenderID" varchar(255),
  "SendingTimeOut" {_PG_TS},
  "DeliveryReport" varchar(10) DEFAULT 'default',
  "CreatorID" text NOT NULL,
  "Retries" integer DEFAULT '0',
  "Priority" integer DEFAULT '0',
  "Status" varchar(255) NOT NULL DEFAULT 'Reserved',
  "StatusCode" integer NOT NULL DEFAULT '-1',
  CHECK ("Coding" IN {_CODINGS}),
  CHECK ("DeliveryReport" IN ('default','yes','no')),
  CHECK ("Status" IN {_STATUSES},'Reserved'))
)""",
    """CREATE INDEX gammu_outbox_date ON gammu_outbox ("SendingDateTime", "SendingTimeOut")""",
    """CREATE INDEX gammu_outbox_sender ON gammu_outbox ("SenderID")""",
    """CREATE INDEX gammu_outbox_creator ON gammu_outbox ("CreatorID")""",
    f"""CREATE TABLE gammu_outbox_multipart (
  "Text" text,
  "Coding" varchar(255) NOT NULL DEFAULT 'Default_No_Compression',
  "UDH" text,
  "Class" integer DEFAULT '-1',
  "TextDecoded" text DEFAULT NULL,
  "ID" serial,
  "SequencePosition" integer NOT NULL DEFAULT '1',
  "Status" varchar(255) NOT NULL DEFAULT 'Reserved',
  "StatusCode" integer NOT NULL DEFAULT '-1',
  PRIMARY KEY ("ID", "SequencePosition"),
  CHECK ("Coding" IN {_CODINGS}),
  CHECK ("Status" IN {_STATUSES},'Reserved'))
)""",
    f"""CREATE TABLE gammu_phones (
  "ID" text NOT NULL,
  "UpdatedInDB" {_PG_TS},
  "InsertIntoDB" {_PG_TS},
  "TimeOut" {_PG_TS},
  "Send" boolean NOT NULL DEFAULT 'no',
  "Receive" boolean NOT NULL DEFAULT 'no',
  "IMEI" varchar(35) PRIMARY KEY NOT NULL,
  "IMSI" varchar(35) NOT NULL,
  "NetCode" varchar(10) DEFAULT 'ERROR',
  "NetName" varchar(35) DEFAULT 'ERROR',
  "Client" text NOT NULL,
  "Battery" integer NOT NULL DEFAULT -1,
  "Signal" integer NOT NULL DEFAULT -1,
  "Sent" integer NOT NULL DEFAULT 0,
  "Received" integer NOT NULL DEFAULT 0
)""",
    f"""CREATE TABLE gammu_sentitems (
  "UpdatedInDB" {_PG_TS},
  "InsertIntoDB" {_PG_TS},
  "SendingDateTime" {_PG_TS},
  "DeliveryDateTime" timestamp(0) WITHOUT time zone NULL,
  "Text" text NOT NULL,
  "DestinationNumber" varchar(20) NOT NULL DEFAULT '',
  "Coding" varchar(255) NOT NULL DEFAULT 'Default_No_Compression',
  "UDH" text NOT NULL,
  "SMSCNumber" varchar(20) NOT NULL DEFAULT '',
  "Class" integer NOT NULL DEFAULT '-1',
  "TextDecoded" text NOT NULL DEFAULT '',
  "ID" serial,
  "SenderID" varchar(255) NOT NULL,
  "SequencePosition" integer NOT NULL DEFAULT '1',
  "Status" varchar(255) NOT NULL DEFAULT 'SendingOK',
  "StatusError" integer NOT NULL DEFAULT '-1',
  "TPMR" integer NOT NULL DEFAULT '-1',
  "RelativeValidity" integer NOT NULL DEFAULT '-1',
  "CreatorID" text NOT NULL,
  "StatusCode" integer NOT NULL DEFAULT '-1',
  CHECK ("Status" IN {_STATUSES})),
  CHECK ("Coding" IN {_CODINGS}),
  PRIMARY KEY ("ID", "SequencePosition")
)""",
    """CREATE INDEX gammu_sentitems_date ON gammu_sentitems ("DeliveryDateTime")""",
    """CREATE INDEX gammu_sentitems_tpmr ON gammu_sentitems ("TPMR")""",
    """CREATE INDEX gammu_sentitems_dest ON gammu_sentitems ("DestinationNumber")""",
    """CREATE INDEX gammu_sentitems_sender ON gammu_sentitems ("SenderID")""",
    """CREATE INDEX gammu_sentitems_creator ON gammu_sentitems ("CreatorID")""",
]
# gammu's native_pgsql driver reads new IDs with currval('"<gammu name>_ID_seq"'), whatever the
# table is called: the serial sequences keep Gammu's names (the column defaults follow a rename).
for _logical in ("inbox", "outbox", "outbox_multipart", "sentitems"):
    POSTGRESQL.append(f'ALTER SEQUENCE "{TABLES[_logical]}_ID_seq" RENAME TO "{_logical}_ID_seq"')
for _table in ("gammu_inbox", "gammu_outbox", "gammu_phones", "gammu_sentitems"):
    POSTGRESQL.append(
        f"CREATE TRIGGER gammu_update_timestamp BEFORE UPDATE ON {_table} "
        "FOR EACH ROW EXECUTE PROCEDURE gammu_update_timestamp()"
    )

DROP = [f"DROP TABLE IF EXISTS {name}" for name in reversed(TABLES.values())]
DROP_POSTGRESQL = DROP + ["DROP FUNCTION IF EXISTS gammu_update_timestamp()"]


def statements(vendor: str, *, drop: bool = False) -> list[str]:
    """The SQL that creates (or drops) the Gammu tables on this database vendor."""
    if vendor == "sqlite":
        return DROP if drop else SQLITE
    if vendor == "postgresql":
        return DROP_POSTGRESQL if drop else POSTGRESQL
    # MySQL works with gammu-smsd too, but Layan supports only SQLite and PostgreSQL.
    raise NotImplementedError(f"Gammu tables are not provided for the {vendor} database")
