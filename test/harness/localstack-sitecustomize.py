# Loaded by the LocalStack venv's Python at start-up (test/harness/localstack.ts copies it into
# site-packages). localstack-core 4.13.1 calls uuid.uuid5(namespace, bytes) in KMS CreateKey, which
# only Python 3.12 accepts; on 3.11 that answers HTTP 500. Backport of 3.12's uuid5: SHA-1 over the
# namespace bytes plus the name bytes, version 5.
import hashlib
import sys
import uuid

if sys.version_info < (3, 12):
    def _uuid5(namespace, name):
        if isinstance(name, str):
            name = name.encode("utf-8")
        digest = hashlib.sha1(namespace.bytes + name, usedforsecurity=False).digest()
        return uuid.UUID(bytes=digest[:16], version=5)

    uuid.uuid5 = _uuid5
