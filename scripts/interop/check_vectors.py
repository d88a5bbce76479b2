#!/usr/bin/env python3
"""Replay Tipline's test vectors with PyNaCl, from proto/PROTOCOL.md alone.

This is an independent implementation of Part I of the protocol: it was
written from the specification text, without reading the Swift sources, so
that a pass shows the text is enough to interoperate. Each check follows the
order the specification gives, so that a rejection's *name* must match too.

Usage: python3 scripts/interop/check_vectors.py [vectors-dir]
"""

import hashlib
import hmac
import sys
import unicodedata
from pathlib import Path

from nacl import bindings as nb
from nacl.exceptions import CryptoError


class Reject(Exception):
    """A rejection with its name from the specification (§1)."""


# --- §2: encodings, hashing and identifiers --------------------------------

LABEL_KEY_ID = b"tipline/v1/key-id"
LABEL_FINGERPRINT = b"tipline/v1/fingerprint"
LABEL_BUNDLE_ID = b"tipline/v1/bundle-id"
LABEL_BUNDLE_SIGNATURE = b"tipline/v1/bundle-signature"
LABEL_CODENAME = b"tipline/v1/codename"
LABEL_CODENAME_REPLY = b"tipline/v1/codename/reply-key"
LABEL_CODENAME_MAILBOX = b"tipline/v1/codename/mailbox-key"
LABEL_CODENAME_UPLOAD = b"tipline/v1/codename/upload-token"
LABEL_CODENAME_ATTACHMENT = b"tipline/v1/codename/attachment-key"
LABEL_MAILBOX_ID = b"tipline/v1/mailbox-id"
LABEL_KEYSTORE_HEADER = b"tipline/v1/keystore/header"
LABEL_KEYSTORE_CHECK = b"tipline/v1/keystore/passphrase-check"
LABEL_POW_CHALLENGE = b"tipline/v1/pow/challenge"
LABEL_POW_SOLUTION = b"tipline/v1/pow/solution"
LABEL_ENVELOPE_COMMITMENT = b"tipline/v1/envelope/key-commitment"

BASE32_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def short(s: bytes) -> bytes:
    assert len(s) <= 255
    return bytes([len(s)]) + s


def H(n: int, label: bytes, *parts: bytes) -> bytes:
    # Unkeyed BLAKE2b-n, i.e. crypto_generichash(out, n, m, len(m), NULL, 0).
    return hashlib.blake2b(short(label) + b"".join(parts), digest_size=n).digest()


def key_id(pk: bytes) -> bytes:
    return H(16, LABEL_KEY_ID, pk)


def u(b: bytes) -> int:
    return int.from_bytes(b, "big")


def u64(x: int) -> bytes:
    return x.to_bytes(8, "big")


def valid_name(raw: bytes) -> bool:
    """§2.2: 1 to 64 bytes, valid UTF-8, no character of category Cc."""
    if not 1 <= len(raw) <= 64:
        return False
    try:
        text = raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        return False
    return not any(unicodedata.category(ch) == "Cc" for ch in text)


def normalise_base32(typed: str) -> str:
    """§2.5 reader rules. Only ASCII letters are case-folded: str.upper()
    would map e.g. 'ß' to 'SS' and let non-alphabet input through."""
    out = []
    for ch in typed:
        if ch in "- ":
            continue
        if "a" <= ch <= "z":
            ch = chr(ord(ch) - 32)
        ch = {"O": "0", "I": "1", "L": "1"}.get(ch, ch)
        if ch not in BASE32_ALPHABET:
            raise Reject("invalidCharacter")
        out.append(ch)
    return "".join(out)


def symbols_to_bytes(symbols: str) -> bytes:
    """Base-32 symbols to bytes, most significant bit first; the bit count
    must be a whole number of bytes with no leftover bits."""
    nbits = 5 * len(symbols)
    value = 0
    for ch in symbols:
        value = value << 5 | BASE32_ALPHABET.index(ch)
    if nbits % 8:
        raise ValueError(f"{len(symbols)} base-32 symbols are not whole bytes")
    return value.to_bytes(nbits // 8, "big")


def bytes_to_symbols(data: bytes) -> str:
    nbits = 8 * len(data)
    assert nbits % 5 == 0
    value = int.from_bytes(data, "big")
    return "".join(BASE32_ALPHABET[(value >> (nbits - 5 * (i + 1))) & 31]
                   for i in range(nbits // 5))


# --- §2.6: check symbol ----------------------------------------------------

def gf32_mul(a: int, b: int) -> int:
    """Multiplication in GF(2^5) modulo x^5 + x^2 + 1 (0x25)."""
    r = 0
    while b:
        if b & 1:
            r ^= a
        b >>= 1
        a <<= 1
        if a & 0x20:
            a ^= 0x25
    return r


def gf32_pow(e: int) -> int:
    r = 1
    for _ in range(e % 31):
        r = gf32_mul(r, 2)
    return r


def check_sum(symbols: str) -> int:
    """Σ α^(i+1) · v_i over all the symbols; zero when the check holds."""
    total, weight = 0, 1
    for ch in symbols:
        weight = gf32_mul(weight, 2)  # α^(i+1)
        total ^= gf32_mul(weight, BASE32_ALPHABET.index(ch))
    return total


def with_check_symbol(data: str) -> str:
    """Appends v_(n-1) = α^((31 - n mod 31) mod 31) · S, n = len(data) + 1."""
    n = len(data) + 1
    return data + BASE32_ALPHABET[gf32_mul(gf32_pow((31 - n % 31) % 31), check_sum(data))]


# --- §2.5: fingerprints ----------------------------------------------------

FP_DATA_SYMBOLS = 32


def fingerprint(material: bytes) -> bytes:
    return H(20, LABEL_FINGERPRINT, material)


def displayed_fingerprint(fp: bytes) -> str:
    """32 data symbols and the check symbol, in 11 groups of 3."""
    symbols = with_check_symbol(bytes_to_symbols(fp))
    return "-".join(symbols[i:i + 3] for i in range(0, len(symbols), 3))


def read_fingerprint(typed: str, file_reader: bool = False):
    """§2.5 reader, steps 1 to 7. Returns (fingerprint bytes, legacy?)."""
    symbols = normalise_base32(typed)
    if len(symbols) == FP_DATA_SYMBOLS + 1:
        if check_sum(symbols):
            raise Reject("checkFailed")
        return symbols_to_bytes(symbols[:FP_DATA_SYMBOLS]), False
    if len(symbols) == FP_DATA_SYMBOLS and file_reader:
        return symbols_to_bytes(symbols), True
    raise Reject("wrongLength")


def one_symbol_short(legacy: bytes, other: bytes) -> bool:
    """§2.5: the legacy reading is other's displayed form with one symbol removed."""
    short = bytes_to_symbols(legacy)
    long = displayed_fingerprint(other).replace("-", "")
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


class Reader:
    """Sequential decoder; running out of input is the `truncated` rejection."""

    def __init__(self, data: bytes, short_name: str = "truncated"):
        self.data, self.pos, self.short_name = data, 0, short_name

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise Reject(self.short_name)
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def rest(self) -> int:
        return len(self.data) - self.pos


# --- §3: key bundle --------------------------------------------------------

MAX_RESPONDERS = 128
BUNDLE_CLOCK_SKEW = 300
RK_WINDOW_MIN, RK_WINDOW_MAX, RK_GRACE_MAX = 60, 7776000, 31536000
RK_POLICY_SKIP, RK_POLICY_IDENTITY = 1, 2


def decode_bundle(signed: bytes):
    """§3.1/§3.2. Fields are checked as soon as they are read, in layout
    order, so an early bad field wins over a later truncation."""
    if len(signed) < 64:
        raise Reject("truncated")
    body, signature = signed[:-64], signed[-64:]
    r = Reader(body)
    if r.take(4) != b"TLKB":
        raise Reject("badMagic")
    fmt = r.take(1)[0]
    if fmt not in (1, 2):
        raise Reject("unsupportedFormat")
    version = u(r.take(8))
    if version == 0:
        raise Reject("invalidVersion")
    issued_at, expires_at = u(r.take(8)), u(r.take(8))
    if expires_at <= issued_at:
        raise Reject("invalidValidityPeriod")
    org_pk, _server_pk = r.take(32), r.take(32)
    count = r.take(1)[0]
    if count == 0:
        raise Reject("noResponders")
    if count > MAX_RESPONDERS:
        raise Reject("tooManyResponders")
    prev_kid, sign_pks, names, responders = None, set(), set(), []
    for _ in range(count):
        sign_pk, box_pk = r.take(32), r.take(32)
        if r.take(1)[0] not in (1, 2):
            raise Reject("unknownRole")
        name = r.take(r.take(1)[0])
        if not valid_name(name):
            raise Reject("invalidName")
        kid = key_id(box_pk)
        if prev_kid is not None and kid == prev_kid:
            raise Reject("duplicateResponder")
        if prev_kid is not None and kid < prev_kid:
            raise Reject("respondersNotSorted")
        if sign_pk in sign_pks or name in names:
            raise Reject("duplicateResponder")
        prev_kid = kid
        sign_pks.add(sign_pk)
        names.add(name)
        responders.append((sign_pk, box_pk))
    # Format 2: the receiving-key policy (§3.1); format 1 reads as the legacy one.
    rk_window, rk_grace, rk_policy = 604800, 1209600, RK_POLICY_IDENTITY
    if fmt == 2:
        rk_window, rk_grace, rk_policy = u(r.take(4)), u(r.take(4)), r.take(1)[0]
        if not (RK_WINDOW_MIN <= rk_window <= RK_WINDOW_MAX and rk_grace <= RK_GRACE_MAX
                and rk_policy in (RK_POLICY_SKIP, RK_POLICY_IDENTITY)):
            raise Reject("invalidPolicy")
    if r.rest():
        raise Reject("trailingBytes")
    return dict(body=body, signature=signature, version=version,
                issued_at=issued_at, expires_at=expires_at, org_pk=org_pk,
                responders=responders, rk_window=rk_window, rk_grace=rk_grace, rk_policy=rk_policy)


def verify_bundle(signed, pinned, now, seen_version=None, seen_id=None):
    """§3.3, steps 1 to 6 in order. Returns the bundle id."""
    b = decode_bundle(signed)
    if not hmac.compare_digest(H(20, LABEL_FINGERPRINT, b["org_pk"]), pinned):
        raise Reject("wrongOrganisation")
    try:
        # PyNaCl exposes no crypto_sign_verify_detached; crypto_sign_open on
        # signature || message is libsodium's same Ed25519 verification.
        nb.crypto_sign_open(
            b["signature"] + short(LABEL_BUNDLE_SIGNATURE) + b["body"], b["org_pk"])
    except (CryptoError, ValueError):
        raise Reject("badSignature")
    if not now < b["expires_at"]:
        raise Reject("expired")
    if not b["issued_at"] <= now + BUNDLE_CLOCK_SKEW:
        raise Reject("notYetValid")
    bundle_id = H(32, LABEL_BUNDLE_ID, b["body"])
    if seen_version is not None:
        if b["version"] < seen_version:
            raise Reject("rollback")
        if b["version"] == seen_version and bundle_id != seen_id:
            raise Reject("equivocation")
    return bundle_id


# --- §3.4: receiving keys --------------------------------------------------

LABEL_RECEIVING_KEY_SIGNATURE = b"tipline/v1/receiving-key"
RK_CLOCK_SKEW = 300


def verify_receiving_key(statement: bytes, bundle: dict, now: int) -> dict:
    """§3.4 steps 1 to 8, in order, against a decoded (and verified) bundle."""
    if len(statement) != 165:
        raise Reject("malformed")
    body, signature = statement[:101], statement[101:]
    if body[0:4] != b"TLRK":
        raise Reject("badMagic")
    if body[4] != 1:
        raise Reject("unsupportedFormat")
    org_pk, responder_id, receiving_pk = body[5:37], body[37:53], body[53:85]
    not_before, not_after = u(body[85:93]), u(body[93:101])
    if org_pk != bundle["org_pk"]:
        raise Reject("wrongOrganisation")
    signer = next((s for s, _ in bundle["responders"] if key_id(s) == responder_id), None)
    if signer is None:
        raise Reject("unknownResponder")
    try:
        nb.crypto_sign_open(signature + short(LABEL_RECEIVING_KEY_SIGNATURE) + body, signer)
    except (CryptoError, ValueError):
        raise Reject("badSignature")
    if not (not_before < not_after and not_after - not_before <= bundle["rk_window"]):
        raise Reject("invalidWindow")
    if any(key_id(box) == key_id(receiving_pk) for _, box in bundle["responders"]):
        raise Reject("keyIdCollision")
    if receiving_pk == bytes(32):
        raise Reject("invalidKey")
    if not not_before <= now + RK_CLOCK_SKEW:
        raise Reject("notYetValid")
    if not now < not_after:
        raise Reject("expired")
    return {"responder-id": responder_id, "receiving-pk": receiving_pk,
            "receiving-key-id": key_id(receiving_pk),
            "not-before": str(not_before), "not-after": str(not_after)}


# --- §4: envelope ----------------------------------------------------------

KINDS = {1: "tip", 2: "follow-up", 3: "triage-event", 4: "reply"}
FORMATS = (1, 2)  # §4.1: 2 is written; 1 (no key commitment) is still read
COMMITMENT = 32
MAX_RECIPIENTS = 128
PAD_MIN, PAD_MAX = 1024, 4194304
ENTRY = 16 + 80  # key_id || SealedBox(32-byte key)


def open_envelope(env, sk, pk, exp_kind=None, exp_context=None, exp_recipients=None):
    """§4.4, steps 1 to 10 in order. Steps 1-3 look only at the fields they
    need; a field that is missing is reported as `truncated` (step 4)."""
    r = Reader(env)
    if r.take(4) != b"TLEV":
        raise Reject("badMagic")
    fmt = r.take(1)[0]
    if fmt not in FORMATS:
        raise Reject("unsupportedFormat")
    kind = r.take(1)[0]
    if kind not in KINDS:
        raise Reject("unknownKind")
    context = r.take(32)
    count = r.take(1)[0]
    if count < 1:
        raise Reject("noRecipients")
    if count > MAX_RECIPIENTS:
        raise Reject("tooManyRecipients")
    entries = []
    for _ in range(count):
        kid = r.take(16)
        if entries and kid == entries[-1][0]:
            raise Reject("duplicateRecipient")
        if entries and kid < entries[-1][0]:
            raise Reject("recipientsNotSorted")
        entries.append((kid, r.take(80)))
    nonce = r.take(24)
    committed = env[:r.pos]  # magic through nonce (§4.1)
    commitment = r.take(COMMITMENT) if fmt == 2 else None
    header = env[:r.pos]  # format 2: committed || commitment; format 1: committed
    ciphertext = env[r.pos:]
    if len(ciphertext) < PAD_MIN + 16:
        raise Reject("truncated")
    p = len(ciphertext) - 16
    if p & (p - 1) or not PAD_MIN <= p <= PAD_MAX:
        raise Reject("invalidCiphertextLength")
    # Step 5: only the expectations the vector states are checked.
    if exp_kind is not None and kind != exp_kind:
        raise Reject("unexpectedKind")
    if exp_context is not None and context != exp_context:
        raise Reject("contextMismatch")
    if exp_recipients is not None:
        present = {kid for kid, _ in entries}
        if any(kid not in present for kid in exp_recipients):
            raise Reject("recipientMissing")
        if any(kid not in set(exp_recipients) for kid in present):
            raise Reject("unexpectedRecipient")
    mine = key_id(pk)
    wrapped = next((w for kid, w in entries if kid == mine), None)
    if wrapped is None:
        raise Reject("notARecipient")
    try:
        content_key = nb.crypto_box_seal_open(wrapped, pk, sk)
    except CryptoError:
        raise Reject("wrappedKeyInvalid")
    if len(content_key) != 32:
        raise Reject("wrappedKeyInvalid")
    if fmt == 2:
        # Step 8: keyed BLAKE2b-32 with the content key as the BLAKE2b key,
        # i.e. crypto_generichash(out, 32, m, len(m), content_key, 32).
        want = hashlib.blake2b(short(LABEL_ENVELOPE_COMMITMENT) + committed,
                               digest_size=32, key=content_key).digest()
        if not hmac.compare_digest(want, commitment):
            raise Reject("commitmentMismatch")
    try:
        padded = nb.crypto_aead_xchacha20poly1305_ietf_decrypt(
            ciphertext, header, nonce, content_key)
    except CryptoError:
        raise Reject("authenticationFailed")
    try:
        # Block size P: the 0x80 may sit anywhere in the bucket (§4.2).
        content = nb.sodium_unpad(padded, len(padded))
    except (CryptoError, ValueError):
        raise Reject("invalidPadding")
    # Canonical: P must be the smallest bucket for this content (§4.4 step 10).
    bucket = 1024
    while bucket < len(content) + 1:
        bucket *= 2
    if bucket != len(padded):
        raise Reject("invalidPadding")
    return content


# --- §5: attachment stream -------------------------------------------------

CHUNK_SIZE = 65536
ABYTES = nb.crypto_secretstream_xchacha20poly1305_ABYTES
TAG_MESSAGE = nb.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
TAG_FINAL = nb.crypto_secretstream_xchacha20poly1305_TAG_FINAL


def decrypt_attachment(stream: bytes, key: bytes) -> bytes:
    """§5: reads CHUNK_SIZE + 17 bytes at a time, as the text prescribes."""
    if len(stream) < 4 + 1 + 24:
        raise Reject("truncatedHeader")
    if stream[:4] != b"TLAT":
        raise Reject("badMagic")
    if stream[4] != 1:
        raise Reject("unsupportedFormat")
    state = nb.crypto_secretstream_xchacha20poly1305_state()
    nb.crypto_secretstream_xchacha20poly1305_init_pull(state, stream[5:29], key)
    pos, out = 29, []
    while True:
        if pos >= len(stream):
            raise Reject("truncated")  # ended without TAG_FINAL
        chunk = stream[pos:pos + CHUNK_SIZE + ABYTES]
        pos += len(chunk)
        try:
            m, tag = nb.crypto_secretstream_xchacha20poly1305_pull(state, chunk)
        except CryptoError:
            raise Reject("chunkAuthenticationFailed")
        if tag not in (TAG_MESSAGE, TAG_FINAL):
            raise Reject("unexpectedTag")
        if tag == TAG_MESSAGE and len(m) != CHUNK_SIZE:
            # Only the last piece read can be short, so the stream was cut (§5).
            raise Reject("truncated")
        if tag == TAG_FINAL and not m and out:
            raise Reject("nonCanonicalChunking")
        out.append(m)
        if tag == TAG_FINAL:
            break
    if pos != len(stream):
        raise Reject("trailingData")
    return b"".join(out)


# --- §6: codename ----------------------------------------------------------

def parse_codename(typed: str) -> str:
    canonical = normalise_base32(typed)
    if len(canonical) != 28:
        raise Reject("wrongLength")
    if check_sum(canonical):  # §2.6
        raise Reject("checkFailed")
    return canonical


def derive_codename(canonical: str, content_hash: bytes = b"") -> dict:
    master = H(32, LABEL_CODENAME, canonical.encode("ascii"))
    reply_pk, _ = nb.crypto_box_seed_keypair(H(32, LABEL_CODENAME_REPLY, master))
    mailbox_pk, _ = nb.crypto_sign_seed_keypair(H(32, LABEL_CODENAME_MAILBOX, master))
    return {"reply-pk": reply_pk, "mailbox-pk": mailbox_pk,
            "mailbox-id": H(32, LABEL_MAILBOX_ID, mailbox_pk),
            "upload-token": H(32, LABEL_CODENAME_UPLOAD, master),
            "attachment-key": H(32, LABEL_CODENAME_ATTACHMENT, master + content_hash)}


# --- §7: keystore ----------------------------------------------------------

OPS_MAX, MEM_MAX = 16, 4294967296


def open_keystore(file: bytes, passphrase: bytes) -> dict:
    """§7 reader, checks in the order given."""
    if file[:4] != b"TLKS":
        raise Reject("badMagic")
    if len(file) < 94:
        raise Reject("truncated")
    prefix, header = file[:62], file[:94]
    if not hmac.compare_digest(H(16, LABEL_KEYSTORE_HEADER, prefix), file[62:78]):
        raise Reject("damagedHeader")
    fmt = file[4]
    if fmt not in (1, 2):
        raise Reject("unsupportedFormat")
    if file[5] != nb.crypto_pwhash_ALG_ARGON2ID13:
        raise Reject("unsupportedKDF")
    ops, mem = u(file[6:14]), u(file[14:22])
    if not (1 <= ops <= OPS_MAX and 8192 <= mem <= MEM_MAX):
        raise Reject("parametersOutOfRange")
    salt, nonce = file[22:38], file[38:62]
    key = nb.crypto_pwhash_alg(32, passphrase, salt, ops, mem,
                               nb.crypto_pwhash_ALG_ARGON2ID13)
    if not hmac.compare_digest(H(16, LABEL_KEYSTORE_CHECK, key), file[78:94]):
        raise Reject("wrongPassphrase")
    try:
        payload = nb.crypto_aead_xchacha20poly1305_ietf_decrypt(
            file[94:], header, nonce, key)
    except CryptoError:
        raise Reject("damagedPayload")
    # role (1) || ed25519_seed (32) || x25519_sk (32) || short(name)
    # [format 2: || archive_key (32) || u8(n) || n x (statement (165) || x25519_sk (32))]
    if len(payload) < 66 or payload[0] not in (1, 2, 3):
        raise Reject("damagedPayload")
    base = 66 + payload[65]
    if len(payload) < base or not valid_name(payload[66:base]):
        raise Reject("damagedPayload")
    receiving = []
    if fmt == 2:
        if len(payload) < base + 33:
            raise Reject("damagedPayload")
        n = payload[base + 32]
        if n > 16 or len(payload) != base + 33 + n * 197:
            raise Reject("damagedPayload")
        for i in range(n):
            entry = payload[base + 33 + i * 197: base + 33 + (i + 1) * 197]
            statement, sk = entry[:165], entry[165:]
            if statement[:5] != b"TLRK\x01" or nb.crypto_scalarmult_base(sk) != statement[53:85]:
                raise Reject("damagedPayload")
            receiving.append(statement[53:85].hex())
    elif len(payload) != base:
        raise Reject("damagedPayload")
    ed_pk, _ = nb.crypto_sign_seed_keypair(payload[1:33])
    return {"role": payload[0], "name": payload[66:base], "ed25519-pk": ed_pk,
            "x25519-pk": nb.crypto_scalarmult_base(payload[33:65]),
            "receiving-pks": ",".join(receiving)}


# --- §8: proof of work -----------------------------------------------------

POW_MAX_DIFFICULTY = 32


def leading_zero_bits(h: bytes) -> int:
    n = 0
    for byte in h:
        if byte:
            return n + 8 - byte.bit_length()
        n += 8
    return n


def verify_pow(challenge, pow_key, purpose, binding, counter, now):
    """§8 server checks, in order."""
    if len(challenge) != 79:
        raise Reject("malformed")
    if challenge[:4] != b"TLPW":
        raise Reject("badMagic")
    if challenge[4] != 1:
        raise Reject("unsupportedFormat")
    if challenge[5] not in (1, 2):
        raise Reject("unknownPurpose")
    difficulty = challenge[6]
    if difficulty > POW_MAX_DIFFICULTY:
        raise Reject("difficultyOutOfRange")
    body, tag = challenge[:47], challenge[47:]
    want = hashlib.blake2b(short(LABEL_POW_CHALLENGE) + body,
                           digest_size=32, key=pow_key).digest()
    if not hmac.compare_digest(want, tag):
        raise Reject("forged")
    if challenge[5] != purpose:
        raise Reject("wrongPurpose")
    issued_at, expires_at = u(challenge[7:15]), u(challenge[15:23])
    if not now < expires_at:
        raise Reject("expired")
    if not issued_at <= now + 60:
        raise Reject("notYetValid")
    solution = H(32, LABEL_POW_SOLUTION, challenge, binding, u64(counter))
    if leading_zero_bits(solution) < difficulty:
        raise Reject("insufficientWork")


# --- §9.1: release signature ----------------------------------------------

LABEL_RELEASE_FILE = b"tipline/v1/release-file"
CONTEXT_RELEASE = b"tipline/v1/release"
RELEASE_SIGNATURE = 64


def valid_release_name(raw: bytes) -> bool:
    """§9.1: 1 to 255 bytes of UTF-8, no character of category Cc, no '/'."""
    if not 1 <= len(raw) <= 255:
        return False
    try:
        text = raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        return False
    return "/" not in text and not any(unicodedata.category(ch) == "Cc" for ch in text)


def verify_release(sig: bytes, pinned: bytes, file: bytes) -> dict:
    """§9.1, steps 1 to 5 in order."""
    r = Reader(sig)
    if r.take(4) != b"TLRS":
        raise Reject("badMagic")
    if r.take(1)[0] != 1:
        raise Reject("unsupportedFormat")
    org_pk, signed_at, size = r.take(32), u(r.take(8)), u(r.take(8))
    release_hash = r.take(32)
    name = r.take(r.take(1)[0])
    if not valid_release_name(name):
        raise Reject("invalidName")
    body = sig[:r.pos]
    if r.rest() < RELEASE_SIGNATURE:
        raise Reject("truncated")
    if r.rest() > RELEASE_SIGNATURE:
        raise Reject("trailingBytes")
    if not hmac.compare_digest(fingerprint(org_pk), pinned):
        raise Reject("wrongOrganisation")
    try:
        nb.crypto_sign_open(sig[r.pos:] + short(CONTEXT_RELEASE) + body, org_pk)
    except (CryptoError, ValueError):
        raise Reject("badSignature")
    if len(file) != size:
        raise Reject("sizeMismatch")
    if H(32, LABEL_RELEASE_FILE, file) != release_hash:
        raise Reject("fileMismatch")
    return {"name": name, "signed-at": str(signed_at), "size": str(size), "release-hash": release_hash}


# --- §15.1, §16.1, §17.1: signatures built from fields, record hashes ------

CONTEXT_REQUEST = b"tipline/v1/request"
CONTEXT_RESPONDER_EVENT = b"tipline/v1/responder-event"
CONTEXT_TIPSTER_CONTENT = b"tipline/v1/tipster-content"
LABEL_AUDIT_PAYLOAD = b"tipline/v1/audit-payload"
LABEL_AUDIT_RECORD = b"tipline/v1/audit-record"
LABEL_CASE_EVENT = b"tipline/v1/case-event"
LABEL_REQUEST_BODY = b"tipline/v1/request-body"


def signed_message(h):
    """The bytes a signature covers, built from the fields as §16.1 / §17.1 say."""
    layout = h["layout"].strip()
    if layout == "responder-event":
        return (bytes([intv(h, "kind")]) + short(hexv(h, "subject")) + short(hexv(h, "signer-key-id"))
                + u64(intv(h, "bundle-version")) + u64(intv(h, "signed-at")) + short(hexv(h, "previous-hash"))
                + hexv(h, "content-body")), CONTEXT_RESPONDER_EVENT
    if layout == "tipster-content":
        return (bytes([intv(h, "kind")]) + short(hexv(h, "mailbox-id")) + u64(intv(h, "bundle-version"))
                + u64(intv(h, "signed-at")) + hexv(h, "content-body")), CONTEXT_TIPSTER_CONTENT
    if layout == "request":
        return (short(h["method"].strip().encode()) + hexv(h, "server-key-id") + u64(intv(h, "time")) + hexv(h, "nonce")
                + H(32, LABEL_REQUEST_BODY, hexv(h, "request-body"))), CONTEXT_REQUEST
    raise ValueError(f"unknown layout {layout!r}")


def check_signed(h, data):
    message, context = signed_message(h)
    if h["context"].strip().encode() != context:
        raise ValueError("the vector names another context")
    try:
        nb.crypto_sign_open(data + short(context) + message, hexv(h, "public-key"))
    except CryptoError:
        raise Reject("badSignature")
    return {}


def check_hash(h, data):
    layout = h["layout"].strip()
    if layout == "audit-record-tip":
        got = H(32, LABEL_AUDIT_RECORD, bytes([1]) + H(32, LABEL_AUDIT_PAYLOAD, hexv(h, "envelope"))
                + u64(intv(h, "padded-length")) + short(hexv(h, "mailbox-id")) + short(hexv(h, "mailbox-key"))
                + u64(intv(h, "bundle-version")) + u64(intv(h, "attachment-slots")) + short(hexv(h, "upload-token-hash")))
    elif layout == "audit-record-attachment":
        got = H(32, LABEL_AUDIT_RECORD, bytes([2]) + short(hexv(h, "content-hash")) + short(hexv(h, "tip-id"))
                + u64(intv(h, "encrypted-size")))
    elif layout == "case-event":
        got = H(32, LABEL_CASE_EVENT, hexv(h, "envelope"))
    else:
        raise ValueError(f"unknown layout {layout!r}")
    if got != data:
        raise ValueError(f"hash mismatch: got {got.hex()}")
    return {}


# --- §10: vector files and the per-format drivers --------------------------

def parse_vector(path: Path):
    """Header of `key: value` lines, one blank line, then hex lines."""
    text = path.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n\n")
    if not sep:
        raise ValueError("no blank line after the header")
    headers = {}
    for line in head.split("\n"):
        key, colon, value = line.partition(":")
        if not colon:
            raise ValueError(f"bad header line {line!r}")
        # Keep the value verbatim after ": " -- a typed codename may carry spaces.
        headers[key.strip()] = value[1:] if value.startswith(" ") else value
    return headers, bytes.fromhex("".join(body.split()))


def hexv(h, key):
    return bytes.fromhex(h[key].strip())


def intv(h, key):
    return int(h[key].strip(), 0)


def check_envelope(h, data):
    rec = h.get("expect-recipients")
    content = open_envelope(
        data, hexv(h, "recipient-sk"), hexv(h, "recipient-pk"),
        intv(h, "expect-kind") if "expect-kind" in h else None,
        hexv(h, "expect-context") if "expect-context" in h else None,
        [bytes.fromhex(k.strip()) for k in rec.split(",") if k.strip()]
        if rec is not None else None)
    return {"content": content}


def check_bundle(h, data):
    seen = intv(h, "seen-version") if "seen-version" in h else None
    # §10: the pinned fingerprint is in displayed form, read by a typed reader (§2.5).
    pinned, _ = read_fingerprint(h["pinned"])
    bundle_id = verify_bundle(data, pinned, intv(h, "now"), seen,
                              hexv(h, "seen-id") if "seen-id" in h else None)
    return {"bundle-id": bundle_id}


def check_receiving_key(h, data):
    # The verifier's bundle comes verified (§3.3) as the header's `bundle`.
    signed = hexv(h, "bundle")
    pinned, _ = read_fingerprint(h["pinned"])
    verify_bundle(signed, pinned, intv(h, "now"))
    return verify_receiving_key(data, decode_bundle(signed), intv(h, "now"))


def check_fingerprint(h, data):
    """§2.5 and the `fingerprint` headers of §10."""
    if data:
        raise ValueError("fingerprint vector has a non-empty body")
    reader = h["reader"].strip()
    if reader not in ("typed", "file"):
        raise ValueError(f"unknown reader {reader!r}")
    read, legacy = read_fingerprint(h["fingerprint"], file_reader=reader == "file")
    actual = fingerprint(hexv(h, "material"))
    if not hmac.compare_digest(read, actual):
        if legacy and one_symbol_short(read, actual):
            raise Reject("symbolMissing")
        raise Reject("wrongOrganisation")
    return {"displayed": displayed_fingerprint(actual)}


def check_codename(h, data):
    if data:
        raise ValueError("codename vector has a non-empty body")
    content_hash = bytes.fromhex(h.get("content-hash", "").strip())
    return derive_codename(parse_codename(h["codename"]), content_hash)


def check_keystore(h, data):
    got = open_keystore(data, hexv(h, "passphrase"))
    got["role"] = str(got["role"])
    return got


def check_pow(h, data):
    verify_pow(data, hexv(h, "pow-key"), intv(h, "purpose"), hexv(h, "binding"),
               intv(h, "counter"), intv(h, "now"))
    return {}


def check_attachment(h, data):
    return {"content": decrypt_attachment(data, hexv(h, "attachment-key"))}


def check_release(h, data):
    pinned, _ = read_fingerprint(h["pinned"])
    return verify_release(data, pinned, hexv(h, "release-file"))


CHECKS = {"envelope": check_envelope, "bundle": check_bundle,
          "codename": check_codename, "fingerprint": check_fingerprint,
          "keystore": check_keystore,
          "pow": check_pow, "attachment": check_attachment,
          "signed": check_signed, "hash": check_hash, "release": check_release,
          "receiving-key": check_receiving_key}

# Header keys that, on success, must equal what the check derived; how each
# header value is turned into bytes (or text) for the comparison.
EXPECTED = {"content": "hex", "bundle-id": "hex", "reply-pk": "hex",
            "mailbox-pk": "hex", "mailbox-id": "hex", "upload-token": "hex",
            "attachment-key": "hex", "ed25519-pk": "hex",
            "x25519-pk": "hex", "role": "text", "name": "utf8", "displayed": "text",
            "signed-at": "text", "size": "text", "release-hash": "hex",
            "responder-id": "hex", "receiving-pk": "hex", "receiving-key-id": "hex",
            "not-before": "text", "not-after": "text", "receiving-pks": "text"}


def run_vector(path: Path):
    """Returns None on a pass, else the reason for the failure."""
    h, data = parse_vector(path)
    expect = h.get("expect", "").strip()
    try:
        got = CHECKS[h["format"].strip()](h, data)
    except Reject as r:
        return None if r.args[0] == expect else f"expected {expect}, got {r.args[0]}"
    if expect != "success":
        return f"expected {expect}, got success"
    for key, how in EXPECTED.items():
        if key not in h or key not in got:
            continue
        want = {"hex": lambda v: bytes.fromhex(v.strip()),
                "text": str.strip, "utf8": lambda v: v.encode("utf-8")}[how](h[key])
        if got[key] != want:
            return f"{key} mismatch: got {got[key]!r}, want {want!r}"
    # `content-blake2b` stands in for a large `content` (§10):
    # H_32("tipline/v1/test-vector", content).
    if "content-blake2b" in h:
        digest = H(32, b"tipline/v1/test-vector", got["content"])
        if digest != bytes.fromhex(h["content-blake2b"].strip()):
            return f"content-blake2b mismatch: got {digest.hex()}"
    return None


def main(argv):
    root = Path(__file__).resolve().parents[2]
    vdir = Path(argv[1]) if len(argv) > 1 else root / "proto" / "vectors"
    files = sorted(p for p in vdir.iterdir()
                   if p.is_file() and not p.name.startswith(".")) if vdir.is_dir() else []
    passed = failed = 0
    for path in files:
        name = path.stem
        try:
            fmt = parse_vector(path)[0].get("format", "").strip()
            if fmt not in CHECKS:
                print(f"skip {name}: format {fmt!r} is not in Part I")
                continue
            why = run_vector(path)
        except Exception as e:  # a malformed vector file is a failure, not a crash
            why = f"{type(e).__name__}: {e}"
        if why is None:
            passed += 1
            print(f"ok   {name}")
        else:
            failed += 1
            print(f"FAIL {name}: {why}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or passed + failed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
