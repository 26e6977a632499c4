//! `scripts/pack-crx.py`: a throwaway RSA key packs a tiny extension, and the CRX3 file and the
//! update manifest are checked from the outside — the header parsed here, the signature verified
//! by `openssl`, the ID recomputed, the manifest read by an XML parser (Python's).
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine as _;
use sha2::{Digest, Sha256};

/// A fresh directory under the system's temporary folder, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let dir =
            std::env::temp_dir().join(format!("canhgiac-{tag}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs a command; panics with its output when it fails (the test's own tools must work).
fn run(cmd: &mut Command) -> Vec<u8> {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e} (python3 and openssl are needed)"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Whether `openssl` accepts `signature` over `message` with the DER public key `public_der`.
fn openssl_verifies(dir: &Path, public_der: &[u8], message: &[u8], signature: &[u8]) -> bool {
    std::fs::write(dir.join("pub.der"), public_der).unwrap();
    std::fs::write(dir.join("message.bin"), message).unwrap();
    std::fs::write(dir.join("signature.bin"), signature).unwrap();
    run(Command::new("openssl")
        .args(["pkey", "-pubin", "-inform", "DER", "-in"])
        .arg(dir.join("pub.der"))
        .arg("-out")
        .arg(dir.join("pub.pem")));
    Command::new("openssl")
        .args(["dgst", "-sha256", "-verify"])
        .arg(dir.join("pub.pem"))
        .arg("-signature")
        .arg(dir.join("signature.bin"))
        .arg(dir.join("message.bin"))
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// Reads a protobuf varint at `*at`.
fn varint(buf: &[u8], at: &mut usize) -> u64 {
    let mut n = 0u64;
    for shift in (0..64).step_by(7) {
        let b = buf[*at];
        *at += 1;
        n |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return n;
        }
    }
    panic!("varint too long at {at}");
}

/// The length-delimited fields of one protobuf message, as (field number, bytes). Other wire
/// types are not expected in a CRX header and fail the test.
fn fields(buf: &[u8]) -> Vec<(u64, &[u8])> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < buf.len() {
        let tag = varint(buf, &mut at);
        assert_eq!(tag & 7, 2, "field {} is not length-delimited", tag >> 3);
        let len = usize::try_from(varint(buf, &mut at)).unwrap();
        out.push((tag >> 3, &buf[at..at + len]));
        at += len;
    }
    out
}

fn field(msg: &[(u64, &[u8])], number: u64) -> Vec<u8> {
    let found: Vec<&[u8]> = msg
        .iter()
        .filter(|(n, _)| *n == number)
        .map(|(_, b)| *b)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "field {number} appears {} times",
        found.len()
    );
    found[0].to_vec()
}

/// `updates.xml` read by Python's XML parser: `[appid, codebase, version, namespace]`.
fn read_update_manifest(path: &Path) -> Vec<String> {
    let script = "import sys, xml.etree.ElementTree as ET\n\
ns = '{http://www.google.com/update2/response}'\n\
root = ET.parse(sys.argv[1]).getroot()\n\
assert root.tag == ns + 'gupdate', root.tag\n\
apps = root.findall(ns + 'app')\n\
assert len(apps) == 1, apps\n\
check = apps[0].find(ns + 'updatecheck')\n\
print('\\n'.join([apps[0].get('appid'), check.get('codebase'), check.get('version'), root.get('protocol')]))\n";
    let out = run(Command::new("python3").arg("-c").arg(script).arg(path));
    String::from_utf8(out)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn a_packed_crx_is_signed_by_its_key_and_named_in_its_update_manifest() {
    let tmp = TempDir::new("crx");
    let dir = &tmp.0;
    let key = dir.join("key.pem");
    run(Command::new("openssl")
        .args([
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-out",
        ])
        .arg(&key));
    let ext = dir.join("ext");
    std::fs::create_dir_all(ext.join("icons")).unwrap();
    std::fs::write(
        ext.join("manifest.json"),
        r#"{"manifest_version": 3, "name": "Cảnh Giác test", "version": "1.2.3"}"#,
    )
    .unwrap();
    std::fs::write(ext.join("icons/a.txt"), "tiny").unwrap();
    let out = dir.join("out");
    // A query string in the base URL: its `&` must be escaped in the update manifest.
    let base = "https://updates.example.vn/canhgiac/?channel=stable&os=win/";
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/pack-crx.py");
    let printed = run(Command::new("python3")
        .arg(&script)
        .arg(&key)
        .arg(&ext)
        .arg(&out)
        .arg("1.2.3")
        .arg(base));

    let crx = std::fs::read(out.join("canhgiac-1.2.3.crx")).unwrap();
    assert_eq!(&crx[..4], b"Cr24", "CRX magic");
    assert_eq!(
        u32::from_le_bytes(crx[4..8].try_into().unwrap()),
        3,
        "CRX version"
    );
    let header_len = u32::from_le_bytes(crx[8..12].try_into().unwrap()) as usize;
    let header = &crx[12..12 + header_len];
    let archive = &crx[12 + header_len..];
    assert_eq!(&archive[..4], b"PK\x03\x04", "the archive is a zip");

    // CrxFileHeader: sha256_with_rsa = 2 (AsymmetricKeyProof {public_key = 1, signature = 2}),
    // signed_header_data = 10000 (SignedData {crx_id = 1}).
    let top = fields(header);
    let proof = field(&top, 2);
    let proof = fields(&proof);
    let public_der = field(&proof, 1);
    let signature = field(&proof, 2);
    let signed_data = field(&top, 10000);
    let crx_id = field(&fields(&signed_data), 1);

    let expected_der = run(Command::new("openssl")
        .args(["pkey", "-in"])
        .arg(&key)
        .args(["-pubout", "-outform", "DER"]));
    assert_eq!(
        public_der, expected_der,
        "the header carries the signing key"
    );
    assert_eq!(
        crx_id,
        Sha256::digest(&public_der)[..16].to_vec(),
        "crx_id is the first 16 bytes of SHA-256 of the public key"
    );

    let mut message = b"CRX3 SignedData\x00".to_vec();
    message.extend_from_slice(&u32::try_from(signed_data.len()).unwrap().to_le_bytes());
    message.extend_from_slice(&signed_data);
    message.extend_from_slice(archive);
    assert!(
        openssl_verifies(dir, &public_der, &message, &signature),
        "the signature verifies with the public key"
    );
    let mut tampered = message.clone();
    let last = tampered.len() - 1;
    tampered[last] ^= 1;
    assert!(
        !openssl_verifies(dir, &public_der, &tampered, &signature),
        "a changed archive no longer verifies"
    );

    let id: String = crx_id
        .iter()
        .flat_map(|b| [b >> 4, b & 0xf])
        .map(|n| char::from(b'a' + n))
        .collect();
    assert_eq!(
        canhgiac::adminkit::extension_id(
            &base64::engine::general_purpose::STANDARD.encode(&public_der)
        )
        .unwrap(),
        id,
        "the manifest-key rule gives the same ID"
    );
    assert!(String::from_utf8_lossy(&printed).contains(&id));

    let manifest = read_update_manifest(&out.join("updates.xml"));
    assert_eq!(
        manifest,
        vec![
            id,
            "https://updates.example.vn/canhgiac/?channel=stable&os=win/canhgiac-1.2.3.crx"
                .to_string(),
            "1.2.3".to_string(),
            "2.0".to_string(),
        ]
    );

    // The archive holds the extension's files, with `/` separators.
    std::fs::write(dir.join("archive.zip"), archive).unwrap();
    let names = run(Command::new("python3")
        .arg("-c")
        .arg("import sys, zipfile; print('\\n'.join(sorted(zipfile.ZipFile(sys.argv[1]).namelist())))")
        .arg(dir.join("archive.zip")));
    let names = String::from_utf8(names).unwrap();
    assert_eq!(
        names.lines().collect::<Vec<_>>(),
        ["icons/a.txt", "manifest.json"]
    );
}

#[test]
fn a_bad_version_is_refused_before_anything_is_written() {
    let tmp = TempDir::new("crx-bad");
    let dir = &tmp.0;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/pack-crx.py");
    let out = Command::new("python3")
        .arg(&script)
        .arg(dir.join("missing-key.pem"))
        .arg(dir)
        .arg(dir.join("out"))
        .arg("1.2.3-beta")
        .arg("https://updates.example.vn/")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("1.2.3-beta"), "{err}");
    assert!(!dir.join("out").exists());
}
