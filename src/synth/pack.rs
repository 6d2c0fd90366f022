//! Writes the generator's objects into a pack file and its index, with
//! each version of a file stored as a delta against the previous version
//! at the same path in the same pack.
//!
//! libgit2's packbuilder found its deltas by trying every object against
//! the ten before it in size order (`git_delta_create_from_index`): 39 % of
//! the generator's CPU at 20,000 components, 74 % at 200,000, and growing
//! with the history's length. The generator already knows which object is
//! the previous version of each file, so the delta base is given, and the
//! delta itself is a record match (`delta.rs`). The index is written from
//! the ids libgit2 computed when the objects were written, so no object is
//! inflated, hashed or rebuilt again; a test holds the index to the one
//! libgit2's indexer makes of the same pack.
//!
//! Formats: `Documentation/gitformat-pack.txt` (pack version 2, index
//! version 2), SHA-1 repositories only (the generator makes no other).

use super::Error;
use super::delta::{self, Records};
use flate2::{Compress, Compression, FlushCompress, Status};
use git2::{ObjectType, Odb, Oid};
use sha1::{Digest, Sha1};
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Deltas on deltas go at most this deep (git's default `--depth`): a
/// reader rebuilds an object by applying its whole chain.
const MAX_DEPTH: u32 = 50;

/// Pack type codes.
const OBJ_COMMIT: u8 = 1;
const OBJ_TREE: u8 = 2;
const OBJ_BLOB: u8 = 3;
const OBJ_TAG: u8 = 4;
const OBJ_OFS_DELTA: u8 = 6;

/// One object written: its id, where it starts, and the CRC-32 of its
/// bytes in the pack (the index keeps it so a copy can be checked).
struct Entry {
    oid: Oid,
    offset: u64,
    crc: u32,
}

/// The previous version at a path: where it is and how deep its chain.
struct Version {
    oid: Oid,
    offset: u64,
    depth: u32,
}

/// Writes `objects` (read from `odb`, each with the path it is at; "" for
/// commits and the root tree) into a new pack and index in `pack_dir`.
/// Objects are written in the order given, so a version's base comes
/// before it; an object listed twice is written once. Returns the pack's
/// path, or None when there was nothing to write.
pub fn write(
    odb: &Odb,
    objects: &[(Oid, String)],
    pack_dir: &Path,
) -> Result<Option<PathBuf>, Error> {
    let mut seen = HashSet::with_capacity(objects.len());
    let unique: Vec<&(Oid, String)> = objects
        .iter()
        .filter(|(oid, _)| seen.insert(*oid))
        .collect();
    if unique.is_empty() {
        return Ok(None);
    }
    let mut pack = Vec::new();
    pack.extend_from_slice(b"PACK");
    pack.extend_from_slice(&2u32.to_be_bytes());
    pack.extend_from_slice(
        &u32::try_from(unique.len())
            .map_err(|_| Error("too many objects for one pack".into()))?
            .to_be_bytes(),
    );

    let mut zlib = Compress::new(Compression::default(), true);
    let mut entries = Vec::with_capacity(unique.len());
    let mut last: HashMap<(u8, &str), Version> = HashMap::new();
    for (oid, path) in unique {
        let object = odb.read(*oid)?;
        let kind = object.kind();
        let data = object.data();
        let offset = pack.len() as u64;
        let code = match kind {
            ObjectType::Commit => OBJ_COMMIT,
            ObjectType::Tree => OBJ_TREE,
            ObjectType::Blob => OBJ_BLOB,
            ObjectType::Tag => OBJ_TAG,
            other => return Err(Error(format!("cannot pack an object of kind {other}"))),
        };
        let records = match kind {
            ObjectType::Blob => Some(Records::Lines),
            ObjectType::Tree => Some(Records::TreeEntries),
            _ => None,
        };
        let mut depth = 0;
        let mut written = false;
        if let (Some(records), Some(base)) = (records, last.get(&(code, path.as_str())))
            && base.depth < MAX_DEPTH
        {
            let base_data = odb.read(base.oid)?;
            let delta = delta::make(base_data.data(), data, records);
            // A delta that saves little is not worth a chain link.
            if delta.len() < data.len() / 2 {
                header(&mut pack, OBJ_OFS_DELTA, delta.len());
                back_offset(&mut pack, offset - base.offset);
                deflate(&mut zlib, &delta, &mut pack)?;
                depth = base.depth + 1;
                written = true;
            }
        }
        if !written {
            header(&mut pack, code, data.len());
            deflate(&mut zlib, data, &mut pack)?;
        }
        let mut crc = flate2::Crc::new();
        crc.update(&pack[offset as usize..]);
        entries.push(Entry {
            oid: *oid,
            offset,
            crc: crc.sum(),
        });
        if records.is_some() {
            last.insert(
                (code, path.as_str()),
                Version {
                    oid: *oid,
                    offset,
                    depth,
                },
            );
        }
    }
    let checksum: [u8; 20] = Sha1::digest(&pack).into();
    pack.extend_from_slice(&checksum);
    let index = index(&mut entries, &checksum);

    // The index goes last, each file under a temporary name first: a pack
    // is seen only once its index is there, and never half written.
    let name: String = checksum.iter().map(|b| format!("{b:02x}")).collect();
    let pack_path = pack_dir.join(format!("pack-{name}.pack"));
    put(&pack_path, &pack)?;
    put(&pack_dir.join(format!("pack-{name}.idx")), &index)?;
    Ok(Some(pack_path))
}

fn put(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let io = |e: std::io::Error| Error(format!("{}: {e}", path.display()));
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// An object's header: its type and size, four bits then seven a byte.
fn header(out: &mut Vec<u8>, code: u8, size: usize) {
    let mut byte = (code << 4) | (size & 0x0f) as u8;
    let mut rest = size >> 4;
    while rest != 0 {
        out.push(byte | 0x80);
        byte = (rest & 0x7f) as u8;
        rest >>= 7;
    }
    out.push(byte);
}

/// How far back an OFS_DELTA's base starts, in git's offset encoding
/// (most significant first, each continuation adding one).
fn back_offset(out: &mut Vec<u8>, mut distance: u64) {
    let mut bytes = [0u8; 10];
    let mut at = bytes.len() - 1;
    bytes[at] = (distance & 0x7f) as u8;
    distance >>= 7;
    while distance != 0 {
        distance -= 1;
        at -= 1;
        bytes[at] = 0x80 | (distance & 0x7f) as u8;
        distance >>= 7;
    }
    out.extend_from_slice(&bytes[at..]);
}

/// One zlib stream of `data`, appended to `out`.
fn deflate(zlib: &mut Compress, data: &[u8], out: &mut Vec<u8>) -> Result<(), Error> {
    zlib.reset();
    let start = zlib.total_in();
    loop {
        out.reserve(data.len() / 2 + 64);
        let consumed = (zlib.total_in() - start) as usize;
        let status = zlib
            .compress_vec(&data[consumed..], out, FlushCompress::Finish)
            .map_err(|e| Error(format!("zlib: {e}")))?;
        if status == Status::StreamEnd {
            return Ok(());
        }
    }
}

/// The version 2 index of a pack whose entries are given (sorted here).
fn index(entries: &mut [Entry], pack_checksum: &[u8; 20]) -> Vec<u8> {
    entries.sort_unstable_by_key(|e| e.oid);
    let mut out = Vec::with_capacity(8 + 256 * 4 + entries.len() * 28 + 40);
    out.extend_from_slice(b"\xfftOc");
    out.extend_from_slice(&2u32.to_be_bytes());
    let mut fanout = [0u32; 256];
    for e in entries.iter() {
        fanout[e.oid.as_bytes()[0] as usize] += 1;
    }
    let mut total = 0;
    for count in fanout {
        total += count;
        out.extend_from_slice(&total.to_be_bytes());
    }
    for e in entries.iter() {
        out.extend_from_slice(e.oid.as_bytes());
    }
    for e in entries.iter() {
        out.extend_from_slice(&e.crc.to_be_bytes());
    }
    // Offsets past 2 GiB go to a table of 8-byte offsets.
    let mut large = Vec::new();
    for e in entries.iter() {
        let small = if e.offset < 0x8000_0000 {
            e.offset as u32
        } else {
            large.push(e.offset);
            0x8000_0000 | (large.len() - 1) as u32
        };
        out.extend_from_slice(&small.to_be_bytes());
    }
    for offset in large {
        out.extend_from_slice(&offset.to_be_bytes());
    }
    out.extend_from_slice(pack_checksum);
    let checksum: [u8; 20] = Sha1::digest(&out).into();
    out.extend_from_slice(&checksum);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use git2::Repository;

    #[test]
    fn headers_and_offsets_are_encoded_as_git_reads_them() {
        let mut out = Vec::new();
        header(&mut out, OBJ_BLOB, 15);
        assert_eq!(out, [0x3f]);
        out.clear();
        header(&mut out, OBJ_TREE, 0x1234);
        // 0x4 low bits; then 0x123 in sevens: 0x23, 0x02.
        assert_eq!(out, [0x80 | 0x20 | 0x4, 0x80 | 0x23, 0x02]);
        out.clear();
        back_offset(&mut out, 127);
        assert_eq!(out, [127]);
        out.clear();
        back_offset(&mut out, 128);
        assert_eq!(out, [0x80, 0]);
        out.clear();
        back_offset(&mut out, 16_511); // (127 + 1) * 128 + 127
        assert_eq!(out, [0xff, 0x7f]);
    }

    /// A pack of versions of files and trees: libgit2 reads every object
    /// back with its id, and its own indexer makes the same index.
    #[test]
    fn libgit2_reads_the_pack_and_indexes_it_as_written() {
        let tmp = tempfile::tempdir().unwrap();
        let repo = Repository::init_bare(tmp.path().join("a")).unwrap();
        let odb = repo.odb().unwrap();
        let mut objects = Vec::new();
        let mut texts = Vec::new();
        let mut text: String = (0..3_000)
            .map(|i| format!("line {i} of the file\n"))
            .collect();
        for v in 0..120 {
            // Versions, each a few lines away from the one before; the
            // small file comes back to earlier contents (written once).
            text = text.replacen(&format!("line {} ", v * 7), &format!("changed {v} "), 1);
            if v % 9 == 0 {
                text.push_str(&format!("appended {v}\n"));
            }
            let oid = odb.write(ObjectType::Blob, text.as_bytes()).unwrap();
            objects.push((oid, "dir/file.toml".to_string()));
            let other = odb
                .write(ObjectType::Blob, format!("small {}\n", v % 5).as_bytes())
                .unwrap();
            objects.push((other, "dir/other.md".to_string()));
            let mut tree = repo.treebuilder(None).unwrap();
            tree.insert("file.toml", oid, 0o100644).unwrap();
            tree.insert("other.md", other, 0o100644).unwrap();
            for i in 0..40 {
                tree.insert(format!("f{i}.toml"), other, 0o100644).unwrap();
            }
            objects.push((tree.write().unwrap(), "dir".to_string()));
            texts.push((oid, text.clone()));
        }
        let pack_dir = tmp.path().join("a/objects/pack");
        let pack = write(&odb, &objects, &pack_dir).unwrap().unwrap();

        // A second repository with only the pack: every object reads back.
        let other = Repository::init_bare(tmp.path().join("b")).unwrap();
        let dest = tmp.path().join("b/objects/pack");
        for ext in ["pack", "idx"] {
            std::fs::copy(
                pack.with_extension(ext),
                dest.join(pack.with_extension(ext).file_name().unwrap()),
            )
            .unwrap();
        }
        let odb_b = other.odb().unwrap();
        for (oid, text) in &texts {
            let obj = odb_b.read(*oid).unwrap();
            assert_eq!(obj.data(), text.as_bytes());
        }
        for (oid, _) in &objects {
            let obj = odb_b.read(*oid).unwrap();
            assert_eq!(Oid::hash_object(obj.kind(), obj.data()).unwrap(), *oid);
        }
        // Deltas were used: the pack is far smaller than the texts.
        let size = std::fs::metadata(&pack).unwrap().len();
        let raw: usize = texts.iter().map(|(_, t)| t.len()).sum();
        assert!((size as usize) < raw / 20, "{size} bytes for {raw}");

        // libgit2's indexer, given the same pack, writes the same index.
        let bytes = std::fs::read(&pack).unwrap();
        let check = tmp.path().join("check");
        std::fs::create_dir(&check).unwrap();
        let mut indexer = git2::Indexer::new(None, &check, 0o644, true).unwrap();
        indexer.write_all(&bytes).unwrap();
        let name = indexer.commit().unwrap();
        let theirs = std::fs::read(check.join(format!("pack-{name}.idx"))).unwrap();
        assert_eq!(theirs, std::fs::read(pack.with_extension("idx")).unwrap());
    }
}
