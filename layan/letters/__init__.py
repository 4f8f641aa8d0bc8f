"""Letters: the document an application ends in, numbered per office and service, signed by the
camat with the office's Ed25519 key, and verifiable by anyone (QR page, offline verifier)."""
