//! Reading blobs straight from the pack files, with a cache of rebuilt
//! delta bases.
//!
//! `git repack` stores the versions of a file as chains of deltas up to 50
//! deep, the newest version whole and each older one a delta against a
//! newer one. libgit2 caches only the whole object at the bottom of a chain
//! (`git_packfile_unpack` adds the first base, never the objects rebuilt
//! on top of it), so reading a version 40 deep inflates and applies 40
//! deltas, and the next older version 41 again. A history walk reads the
//! versions of a file newest first, each the base of the next one read:
//! keeping the objects rebuilt on the way (as git's own delta-base cache
//! does) makes each read one inflate and one delta. On a repository
//! repacked by git, libgit2's rebuilding was a third of `history`'s time.
//!
//! Only what this reader understands is read here: version 2 index files
//! of SHA-1 repositories, blobs within `MAX_FILE_BYTES`. Anything else (a
//! loose object, an alternate, a corrupt or unusual entry) is `None`, and
//! the caller reads it through libgit2 as before, so its errors are told
//! the same way. Nothing is mapped: the pack and index are read with
//! `pread`, so the process's memory holds only the cache.

use super::read::MAX_FILE_BYTES;
use flate2::{Decompress, FlushDecompress, Status};
use git2::Oid;
use std::collections::HashMap;
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::Arc;

/// One index entry of every this many is kept in memory; a lookup then
/// reads one block of this many ids from the index file.
const SAMPLE: usize = 64;

/// Rebuilt objects kept for the next delta on top of them, unless the
/// reader is told otherwise (`with_cache_limit`). The versions a walk reads
/// between two changes of one file fit (134 files of 55 KB at 20,000
/// components: a few MB a generation).
pub const CACHE_BYTES: usize = 64 << 20;

/// Larger objects are not kept (one would push out many small ones).
const CACHE_OBJECT_BYTES: usize = 4 << 20;

/// Deeper chains are not followed (git writes 50 by default and accepts
/// at most 4,095).
const MAX_CHAIN: usize = 4_096;

/// The deltas of one chain held at once, in bytes: a crafted pack could
/// otherwise make the reader hold thousands of large deltas.
const MAX_CHAIN_BYTES: usize = 64 << 20;

const OBJ_BLOB: u8 = 3;
const OBJ_OFS_DELTA: u8 = 6;
const OBJ_REF_DELTA: u8 = 7;

/// The packs of one repository and the cache of rebuilt objects.
pub struct PackReader {
    packs: Vec<Pack>,
    /// Pack numbers, the one that answered last first: the objects of one
    /// commit tend to sit in the same pack.
    order: Vec<usize>,
    cache: BaseCache,
    inflater: Inflater,
    /// Blobs this reader answered, and those it left to libgit2.
    pub read: usize,
    pub declined: usize,
}

struct Pack {
    idx: File,
    pack: File,
    pack_len: u64,
    count: usize,
    /// Every `SAMPLE`-th object id of the index, in order.
    samples: Vec<[u8; 20]>,
}

impl PackReader {
    /// The packs in `objects_dir/pack`; an index it cannot read is left
    /// out (its objects are then read through libgit2).
    pub fn open(objects_dir: &Path) -> PackReader {
        let mut packs = Vec::new();
        if let Ok(dir) = std::fs::read_dir(objects_dir.join("pack")) {
            let mut names: Vec<_> = dir
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "idx"))
                .collect();
            names.sort();
            packs.extend(names.iter().filter_map(|idx| Pack::open(idx)));
        }
        let order = (0..packs.len()).collect();
        PackReader {
            packs,
            order,
            cache: BaseCache::default(),
            inflater: Inflater::new(),
            read: 0,
            declined: 0,
        }
    }

    /// This reader, keeping at most `bytes` of rebuilt objects.
    pub fn with_cache_limit(mut self, bytes: usize) -> PackReader {
        self.cache.limit = bytes;
        self
    }

    /// The packs of the repository at `git_dir` (its common folder for a
    /// linked work tree); none when git is told to look elsewhere.
    pub fn for_repository(git: &git2::Repository) -> PackReader {
        if std::env::var_os("GIT_OBJECT_DIRECTORY").is_some() {
            return PackReader::empty();
        }
        PackReader::open(&git.commondir().join("objects"))
    }

    /// A reader with no packs: every read is left to libgit2.
    pub fn empty() -> PackReader {
        PackReader {
            packs: Vec::new(),
            order: Vec::new(),
            cache: BaseCache::default(),
            inflater: Inflater::new(),
            read: 0,
            declined: 0,
        }
    }

    /// The bytes of blob `oid`, when it is in one of the packs, is a blob of
    /// at most `MAX_FILE_BYTES` and reads cleanly; else None.
    pub fn read_blob(&mut self, oid: Oid) -> Option<Vec<u8>> {
        let found = self.blob(oid);
        match &found {
            Some(_) => self.read += 1,
            None => self.declined += 1,
        }
        found
    }

    fn blob(&mut self, oid: Oid) -> Option<Vec<u8>> {
        let id: &[u8; 20] = oid.as_bytes().try_into().ok()?;
        for at in 0..self.order.len() {
            let p = self.order[at];
            let Some(offset) = self.packs[p].find(id) else {
                continue;
            };
            self.order[..=at].rotate_right(1);
            let (kind, data) = self.resolve(p, offset)?;
            return (kind == OBJ_BLOB).then(|| data.to_vec());
        }
        None
    }

    /// The object at `offset` of pack `p`, rebuilt from its chain; the
    /// objects rebuilt on the way are cached.
    fn resolve(&mut self, p: usize, offset: u64) -> Option<(u8, Arc<Vec<u8>>)> {
        let mut deltas: Vec<(u64, Vec<u8>)> = Vec::new();
        let mut held = 0;
        let mut at = offset;
        let (kind, mut data) = loop {
            if let Some(hit) = self.cache.get(p, at) {
                break hit;
            }
            let entry = self.packs[p].entry(at, &mut self.inflater)?;
            match entry.kind {
                1..=4 => {
                    let data = Arc::new(entry.data);
                    self.cache.put(p, at, entry.kind, &data);
                    break (entry.kind, data);
                }
                OBJ_OFS_DELTA | OBJ_REF_DELTA => {
                    held += entry.data.len();
                    if deltas.len() >= MAX_CHAIN || held > MAX_CHAIN_BYTES {
                        return None;
                    }
                    let base = entry.base?;
                    // A REF_DELTA may name any object: one already on the
                    // chain would loop (an OFS_DELTA's base is always before it).
                    if base == at || deltas.iter().any(|(o, _)| *o == base) {
                        return None;
                    }
                    deltas.push((at, entry.data));
                    at = base;
                }
                _ => return None,
            }
        };
        while let Some((at, delta)) = deltas.pop() {
            data = Arc::new(apply_delta(&data, &delta, MAX_FILE_BYTES as usize)?);
            self.cache.put(p, at, kind, &data);
        }
        Some((kind, data))
    }
}

/// An entry's header: its kind, its size (of the object, or of the delta),
/// where its compressed data starts, and a delta's base offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryHeader {
    pub kind: u8,
    pub size: usize,
    /// Bytes from the entry's start to its compressed data.
    pub header_len: usize,
    /// An OFS_DELTA's base, as a distance back from the entry's start.
    pub base_distance: Option<u64>,
    /// A REF_DELTA's base object.
    pub base_id: Option<[u8; 20]>,
}

/// Parses an entry's header from the bytes at its start (`bytes` may run
/// past it); None when it is cut short or its numbers overflow.
pub fn parse_entry_header(bytes: &[u8]) -> Option<EntryHeader> {
    let mut i = 0;
    let mut c = *bytes.first()?;
    i += 1;
    let kind = (c >> 4) & 7;
    let mut size = u64::from(c & 15);
    let mut shift = 4u32;
    while c & 0x80 != 0 {
        c = *bytes.get(i)?;
        i += 1;
        if shift > 57 {
            return None;
        }
        size |= u64::from(c & 0x7f) << shift;
        shift += 7;
    }
    let size = usize::try_from(size).ok()?;
    let mut header = EntryHeader {
        kind,
        size,
        header_len: i,
        base_distance: None,
        base_id: None,
    };
    match kind {
        OBJ_OFS_DELTA => {
            let mut c = *bytes.get(i)?;
            i += 1;
            let mut distance = u64::from(c & 0x7f);
            while c & 0x80 != 0 {
                c = *bytes.get(i)?;
                i += 1;
                distance = distance.checked_add(1)?.checked_mul(128)? | u64::from(c & 0x7f);
            }
            header.base_distance = Some(distance);
        }
        OBJ_REF_DELTA => {
            header.base_id = Some(bytes.get(i..i + 20)?.try_into().ok()?);
            i += 20;
        }
        _ => {}
    }
    header.header_len = i;
    Some(header)
}

/// An entry as the reader follows it, its data inflated.
struct Entry {
    kind: u8,
    data: Vec<u8>,
    /// A delta's base offset in the same pack.
    base: Option<u64>,
}

impl Pack {
    fn open(idx_path: &Path) -> Option<Pack> {
        let idx = File::open(idx_path).ok()?;
        let pack = File::open(idx_path.with_extension("pack")).ok()?;
        let pack_len = pack.metadata().ok()?.len();
        let mut head = [0u8; 8 + 1024];
        idx.read_exact_at(&mut head, 0).ok()?;
        // Version 2: `\377tOc`, then 2 (version 1 has no magic: left to libgit2).
        if head[..8] != [0xff, b't', b'O', b'c', 0, 0, 0, 2] {
            return None;
        }
        let count = u32::from_be_bytes(head[8 + 1020..8 + 1024].try_into().ok()?) as usize;
        let idx_len = idx.metadata().ok()?.len();
        if (idx_len as u128) < 8 + 1024 + 28 * count as u128 + 40 {
            return None;
        }
        let mut samples = Vec::with_capacity(count / SAMPLE + 1);
        // Read in large blocks (a pread per SAMPLE ids was 11,000 reads
        // for a 708,509-object pack, before the walk's first batch),
        // keeping the first id of every SAMPLE.
        const BLOCK_IDS: usize = SAMPLE * 64;
        let mut block = vec![0u8; 20 * BLOCK_IDS];
        let mut i = 0;
        while i < count {
            let n = BLOCK_IDS.min(count - i);
            idx.read_exact_at(&mut block[..20 * n], Self::id_at(i))
                .ok()?;
            for id in block[..20 * n].chunks_exact(20).step_by(SAMPLE) {
                samples.push(id.try_into().ok()?);
            }
            i += n;
        }
        Some(Pack {
            idx,
            pack,
            pack_len,
            count,
            samples,
        })
    }

    fn id_at(i: usize) -> u64 {
        8 + 1024 + 20 * i as u64
    }

    /// The offset of object `id` in this pack.
    fn find(&self, id: &[u8; 20]) -> Option<u64> {
        let block = self.samples.partition_point(|s| s <= id).checked_sub(1)?;
        let start = block * SAMPLE;
        let n = SAMPLE.min(self.count - start);
        let mut ids = [0u8; 20 * SAMPLE];
        self.idx
            .read_exact_at(&mut ids[..20 * n], Self::id_at(start))
            .ok()?;
        let found = ids[..20 * n]
            .chunks_exact(20)
            .position(|c| c == id.as_slice())?;
        let i = (start + found) as u64;
        let n_all = self.count as u64;
        let mut word = [0u8; 4];
        let small = 8 + 1024 + 24 * n_all + 4 * i;
        self.idx.read_exact_at(&mut word, small).ok()?;
        let offset = u32::from_be_bytes(word);
        if offset & 0x8000_0000 == 0 {
            return Some(u64::from(offset));
        }
        let mut large = [0u8; 8];
        let at = 8 + 1024 + 28 * n_all + 8 * u64::from(offset & 0x7fff_ffff);
        self.idx.read_exact_at(&mut large, at).ok()?;
        Some(u64::from_be_bytes(large))
    }

    /// The entry at `offset`, its data inflated: one read for the header
    /// and (most often) all of the compressed data, into `z.buf`.
    fn entry(&self, offset: u64, z: &mut Inflater) -> Option<Entry> {
        let end = self.pack_len.checked_sub(20)?;
        let left = usize::try_from(end.checked_sub(offset)?).ok()?;
        // 64 bytes hold any header (12 of size, 10 of offset or 20 of id).
        // Compressed data is rarely much larger than the data: that much
        // is read with the header, the rest as the stream asks.
        let guess = |size: usize| (64 + size + size / 64 + 64).min(1 << 20).min(left);
        z.fill(&self.pack, offset, guess(0))?;
        let header = parse_entry_header(&z.buf)?;
        let limit = match header.kind {
            OBJ_OFS_DELTA | OBJ_REF_DELTA => 2 * MAX_FILE_BYTES as usize,
            _ => MAX_FILE_BYTES as usize,
        };
        if header.size > limit {
            return None;
        }
        let want = guess(header.size);
        if want > z.buf.len() {
            z.fill(&self.pack, offset, want)?;
        }
        let base = match (header.base_distance, header.base_id) {
            (Some(distance), _) => Some(
                offset
                    .checked_sub(distance)
                    .filter(|b| *b > 0 && distance > 0)?,
            ),
            (None, Some(id)) => Some(self.find(&id)?),
            (None, None) => None,
        };
        let data = z.inflate(&self.pack, offset, header.header_len, end, header.size)?;
        Some(Entry {
            kind: header.kind,
            data,
            base,
        })
    }
}

/// A reused zlib stream and read buffer (a fresh stream per object costs
/// its set-up, a fresh buffer its zeroing).
struct Inflater {
    z: Decompress,
    buf: Vec<u8>,
}

impl Inflater {
    fn new() -> Inflater {
        Inflater {
            z: Decompress::new(true),
            buf: Vec::new(),
        }
    }

    /// `buf` = `len` bytes of `pack` at `at`.
    fn fill(&mut self, pack: &File, at: u64, len: usize) -> Option<()> {
        self.buf.resize(len, 0);
        pack.read_exact_at(&mut self.buf, at).ok()
    }

    /// Inflates the zlib stream at `start` of `buf` (read from `offset` of
    /// `pack`, which ends at `end`); it must give exactly `size` bytes.
    fn inflate(
        &mut self,
        pack: &File,
        offset: u64,
        start: usize,
        end: u64,
        size: usize,
    ) -> Option<Vec<u8>> {
        self.z.reset(true);
        // One byte of room past `size`, so a stream that gives more is seen.
        let mut out = Vec::with_capacity(size + 1);
        let mut at = start;
        let mut pos = offset;
        loop {
            let before = self.z.total_in();
            // `Finish`: the whole stream is at hand as a rule, so zlib
            // need not keep a window of what it wrote.
            let status = self
                .z
                .decompress_vec(&self.buf[at..], &mut out, FlushDecompress::Finish)
                .ok()?;
            if out.len() > size {
                return None;
            }
            let used = usize::try_from(self.z.total_in() - before).ok()?;
            at += used;
            match status {
                Status::StreamEnd => return (out.len() == size).then_some(out),
                _ if used == 0 && at < self.buf.len() => return None,
                _ => {}
            }
            if at >= self.buf.len() {
                // More of the stream, from where this read ended.
                pos += self.buf.len() as u64;
                let left = usize::try_from(end.checked_sub(pos)?).ok()?;
                let n = left.min(64 << 10);
                if n == 0 {
                    return None;
                }
                self.fill(pack, pos, n)?;
                at = 0;
            }
        }
    }
}

/// Applies a git delta to `base`; None when it is malformed, does not fit
/// `base`, or would build more than `limit` bytes.
pub fn apply_delta(base: &[u8], delta: &[u8], limit: usize) -> Option<Vec<u8>> {
    let mut i = 0;
    let varint = |i: &mut usize| -> Option<u64> {
        let mut value = 0u64;
        let mut shift = 0;
        loop {
            let c = *delta.get(*i)?;
            *i += 1;
            if shift > 63 {
                return None;
            }
            value |= u64::from(c & 0x7f) << shift;
            shift += 7;
            if c & 0x80 == 0 {
                return Some(value);
            }
        }
    };
    let base_len = varint(&mut i)?;
    let out_len = varint(&mut i)?;
    if base_len != base.len() as u64 || out_len > limit as u64 {
        return None;
    }
    let out_len = out_len as usize;
    let mut out = Vec::with_capacity(out_len);
    while i < delta.len() {
        let op = delta[i];
        i += 1;
        if op & 0x80 != 0 {
            let mut offset = 0usize;
            let mut size = 0usize;
            for bit in 0..4 {
                if op & (1 << bit) != 0 {
                    offset |= usize::from(*delta.get(i)?) << (8 * bit);
                    i += 1;
                }
            }
            for bit in 0..3 {
                if op & (0x10 << bit) != 0 {
                    size |= usize::from(*delta.get(i)?) << (8 * bit);
                    i += 1;
                }
            }
            if size == 0 {
                size = 0x10000;
            }
            let piece = base.get(offset..offset.checked_add(size)?)?;
            if out.len() + piece.len() > out_len {
                return None;
            }
            out.extend_from_slice(piece);
        } else if op != 0 {
            let piece = delta.get(i..i + usize::from(op))?;
            i += usize::from(op);
            if out.len() + piece.len() > out_len {
                return None;
            }
            out.extend_from_slice(piece);
        } else {
            return None; // reserved
        }
    }
    (out.len() == out_len).then_some(out)
}

/// Rebuilt objects by (pack, offset), the least recently used let go
/// first: the objects near the bottom of a chain are shared by many
/// versions, and each read that passes through one keeps it.
struct BaseCache {
    objects: HashMap<(usize, u64), Cached>,
    bytes: usize,
    limit: usize,
    /// Counts uses: an object's `used` is the count at its last use.
    clock: u64,
}

impl Default for BaseCache {
    fn default() -> BaseCache {
        BaseCache {
            objects: HashMap::new(),
            bytes: 0,
            limit: CACHE_BYTES,
            clock: 0,
        }
    }
}

struct Cached {
    kind: u8,
    data: Arc<Vec<u8>>,
    used: u64,
}

impl BaseCache {
    fn get(&mut self, pack: usize, offset: u64) -> Option<(u8, Arc<Vec<u8>>)> {
        self.clock += 1;
        let clock = self.clock;
        self.objects.get_mut(&(pack, offset)).map(|c| {
            c.used = clock;
            (c.kind, Arc::clone(&c.data))
        })
    }

    fn put(&mut self, pack: usize, offset: u64, kind: u8, data: &Arc<Vec<u8>>) {
        if data.len() > CACHE_OBJECT_BYTES || self.objects.contains_key(&(pack, offset)) {
            return;
        }
        if self.bytes + data.len() > self.limit {
            // Down to three quarters at once: one sort per many objects put.
            let mut uses: Vec<(u64, (usize, u64))> =
                self.objects.iter().map(|(k, c)| (c.used, *k)).collect();
            uses.sort_unstable();
            for (_, key) in uses {
                if self.bytes + data.len() <= self.limit / 4 * 3 {
                    break;
                }
                if let Some(gone) = self.objects.remove(&key) {
                    self.bytes -= gone.data.len();
                }
            }
        }
        self.clock += 1;
        self.objects.insert(
            (pack, offset),
            Cached {
                kind,
                data: Arc::clone(data),
                used: self.clock,
            },
        );
        self.bytes += data.len();
    }
}

/// The pack reader as a fuzzing target: an entry header, then a delta
/// applied to a base, from arbitrary bytes (fuzz/fuzz_targets/pack_read.rs;
/// its corpus is replayed by tests/fuzz_corpus_pack_read.rs). Never a
/// panic, and what is built stays within the limit it is given.
pub fn fuzz_pack_read(data: &[u8]) {
    let _ = parse_entry_header(data);
    let cut = data.first().map_or(0, |b| usize::from(*b)).min(data.len());
    let (base, delta) = data.split_at(cut);
    if let Some(out) = apply_delta(base, delta, 1 << 16) {
        assert!(out.len() <= 1 << 16);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::process::Command;

    /// A delta: source and target sizes as varints, then the instructions.
    fn delta(base_len: usize, out_len: usize, ops: &[u8]) -> Vec<u8> {
        let mut d = Vec::new();
        for mut n in [base_len, out_len] {
            loop {
                let byte = (n & 0x7f) as u8;
                n >>= 7;
                if n == 0 {
                    d.push(byte);
                    break;
                }
                d.push(byte | 0x80);
            }
        }
        d.extend_from_slice(ops);
        d
    }

    #[test]
    fn a_delta_copies_from_the_base_and_inserts_its_own_bytes() {
        let base = b"hello, world";
        // Copy 5 bytes at offset 7 ("world"), insert "! ", copy 5 at 0.
        let ops = [0x91, 7, 5, 2, b'!', b' ', 0x90, 5];
        let out = apply_delta(base, &delta(12, 12, &ops), 100).unwrap();
        assert_eq!(out, b"world! hello");
    }

    #[test]
    fn a_copy_of_size_zero_means_64_kib() {
        let base = vec![7u8; 0x10000];
        let out = apply_delta(&base, &delta(0x10000, 0x10000, &[0x80]), 1 << 20).unwrap();
        assert_eq!(out, base);
    }

    #[test]
    fn malformed_deltas_are_refused() {
        let base = b"abcdef";
        // Wrong source size, reserved op 0, copy past the base's end,
        // insert past the delta's end, a target size over the limit, and
        // a result shorter than announced.
        assert!(apply_delta(base, &delta(5, 3, &[0x90, 3]), 100).is_none());
        assert!(apply_delta(base, &delta(6, 3, &[0]), 100).is_none());
        assert!(apply_delta(base, &delta(6, 3, &[0x91, 5, 3]), 100).is_none());
        assert!(apply_delta(base, &delta(6, 3, &[3, b'a']), 100).is_none());
        assert!(apply_delta(base, &delta(6, 300, &[0x90, 3]), 100).is_none());
        assert!(apply_delta(base, &delta(6, 4, &[0x90, 3]), 100).is_none());
        assert_eq!(
            apply_delta(base, &delta(6, 3, &[0x90, 3]), 100).unwrap(),
            b"abc"
        );
    }

    #[test]
    fn entry_headers_as_git_writes_them() {
        // A blob of 300 bytes: kind 3, size 300 = 0b1_0010_1100.
        let h = parse_entry_header(&[0x80 | 0x30 | 0xc, 0x12]).unwrap();
        assert_eq!((h.kind, h.size, h.header_len), (3, 300, 2));
        // An OFS_DELTA 1 byte long, its base 200 bytes back: 200 - 128 =
        // 72 after the first byte's implied +1 (git's offset encoding).
        let h = parse_entry_header(&[0x61, 0x80, 72]).unwrap();
        assert_eq!((h.kind, h.base_distance, h.header_len), (6, Some(200), 3));
        let mut r = vec![0x71];
        r.extend_from_slice(&[9u8; 20]);
        let h = parse_entry_header(&r).unwrap();
        assert_eq!((h.kind, h.base_id, h.header_len), (7, Some([9u8; 20]), 21));
        // Cut short, and a size that does not fit.
        assert!(parse_entry_header(&[0x61, 0x80]).is_none());
        assert!(parse_entry_header(&r[..10]).is_none());
        assert!(parse_entry_header(&[0xff; 12]).is_none());
    }

    /// Versions of a file, written as loose blobs and then packed by
    /// libgit2 (REF_DELTAs) and, when git is installed, repacked by git
    /// as `git repack` does (OFS_DELTA chains up to 50 deep).
    fn versions(texts: &[String], git_repack: bool) -> Option<(tempfile::TempDir, Vec<Oid>)> {
        let dir = tempfile::tempdir().unwrap();
        let repo = git2::Repository::init_bare(dir.path()).unwrap();
        let ids: Vec<Oid> = texts
            .iter()
            .map(|t| repo.blob(t.as_bytes()).unwrap())
            .collect();
        if git_repack {
            let status = Command::new("git")
                .args([
                    "repack",
                    "-a",
                    "-d",
                    "-f",
                    "-q",
                    "--depth=50",
                    "--window=10",
                ])
                .current_dir(dir.path())
                .status()
                .ok()?;
            assert!(status.success());
            // Loose blobs are not packed by `repack -a` unless reachable:
            // pack them all instead.
            let listed: String = ids.iter().map(|i| format!("{i}\n")).collect();
            let mut child = Command::new("git")
                .args([
                    "pack-objects",
                    "-q",
                    "--depth=50",
                    "--window=10",
                    "objects/pack/pack",
                ])
                .current_dir(dir.path())
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::null())
                .spawn()
                .ok()?;
            use std::io::Write;
            child.stdin.take()?.write_all(listed.as_bytes()).unwrap();
            assert!(child.wait().unwrap().success());
        } else {
            let mut pb = repo.packbuilder().unwrap();
            for id in &ids {
                pb.insert_object(*id, Some("components/a.toml")).unwrap();
            }
            pb.write(&dir.path().join("objects/pack"), 0o644).unwrap();
        }
        Some((dir, ids))
    }

    /// Reads every version newest first (as the walk does) and compares
    /// with libgit2; returns how many entries of the pack are deltas.
    fn same_as_libgit2(dir: &Path, ids: &[Oid]) -> usize {
        let repo = git2::Repository::open_bare(dir).unwrap();
        let mut reader = PackReader::open(&dir.join("objects"));
        assert!(!reader.packs.is_empty());
        for id in ids.iter().rev() {
            let ours = reader.read_blob(*id).expect("read from the pack");
            assert_eq!(ours, repo.find_blob(*id).unwrap().content(), "{id}");
        }
        assert_eq!(reader.read, ids.len());
        let mut deltas = 0;
        let mut z = Inflater::new();
        for pack in &reader.packs {
            for id in ids {
                let id: [u8; 20] = id.as_bytes().try_into().unwrap();
                if let Some(offset) = pack.find(&id) {
                    let entry = pack.entry(offset, &mut z).unwrap();
                    deltas += usize::from(entry.base.is_some());
                }
            }
        }
        deltas
    }

    /// A component file edited line by line: each version a small change
    /// of the one before, so the packers store deltas.
    fn edited(edits: &[(usize, u8)]) -> Vec<String> {
        let mut lines: Vec<String> = (0..400)
            .map(|i| format!("[[component]]\nid = \"c{i}\"\nowner = \"team-{}\"\n", i % 7))
            .collect();
        let mut out = Vec::new();
        for (at, tier) in edits {
            let i = at % lines.len();
            match tier % 3 {
                0 => lines[i] = format!("[[component]]\nid = \"c{i}\"\ntier = {tier}\n"),
                1 => {
                    lines.insert(i, format!("# note {tier}\n"));
                }
                _ => {
                    lines.remove(i);
                }
            }
            out.push(lines.concat());
        }
        out
    }

    #[test]
    fn a_long_chain_packed_by_git_reads_as_libgit2_reads_it() {
        let edits: Vec<(usize, u8)> = (0..120).map(|i| (i * 37 + 11, (i % 11) as u8)).collect();
        let Some((dir, ids)) = versions(&edited(&edits), true) else {
            eprintln!("note: git is not installed; the git-packed case is skipped");
            return;
        };
        // git deltifies nearly all of them: the chains are followed.
        assert!(same_as_libgit2(dir.path(), &ids) > 60);
    }

    #[test]
    fn a_pack_written_by_libgit2_reads_as_libgit2_reads_it() {
        let edits: Vec<(usize, u8)> = (0..60).map(|i| (i * 53 + 5, (i % 7) as u8)).collect();
        let (dir, ids) = versions(&edited(&edits), false).unwrap();
        assert!(same_as_libgit2(dir.path(), &ids) > 10);
    }

    #[test]
    fn what_is_not_in_a_pack_is_left_to_libgit2() {
        let dir = tempfile::tempdir().unwrap();
        let repo = git2::Repository::init_bare(dir.path()).unwrap();
        let loose = repo.blob(b"loose").unwrap();
        let mut reader = PackReader::open(&dir.path().join("objects"));
        assert!(reader.read_blob(loose).is_none());
        assert_eq!((reader.read, reader.declined), (0, 1));
    }

    #[test]
    fn a_corrupt_pack_is_declined_not_misread() {
        let edits: Vec<(usize, u8)> = (0..20).map(|i| (i * 17 + 3, (i % 5) as u8)).collect();
        let (dir, ids) = versions(&edited(&edits), false).unwrap();
        let pack_dir = dir.path().join("objects/pack");
        let pack = std::fs::read_dir(&pack_dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|x| x == "pack"))
            .unwrap();
        let mut bytes = std::fs::read(&pack).unwrap();
        // Flip bytes in the middle of every entry's data past the header.
        for b in bytes.iter_mut().skip(12).step_by(7) {
            *b ^= 0x5a;
        }
        std::fs::write(&pack, &bytes).unwrap();
        let repo = git2::Repository::open_bare(dir.path()).unwrap();
        let mut reader = PackReader::open(&dir.path().join("objects"));
        for id in &ids {
            // Loose copies exist: libgit2 reads those. Ours either declines
            // or (zlib's check passing by chance) must agree.
            if let Some(ours) = reader.read_blob(*id) {
                assert_eq!(ours, repo.find_blob(*id).unwrap().content());
            }
        }
        assert!(reader.declined > 0);
    }

    /// A pack of one entry written by hand, with its version-2 index.
    fn handmade_pack(id: [u8; 20], entry: &[u8], data: &[u8]) -> tempfile::TempDir {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let packs = dir.path().join("objects/pack");
        std::fs::create_dir_all(&packs).unwrap();
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(data).unwrap();
        let mut pack = b"PACK\0\0\0\x02\0\0\0\x01".to_vec();
        pack.extend_from_slice(entry);
        pack.extend_from_slice(&z.finish().unwrap());
        pack.extend_from_slice(&[0; 20]);
        let mut idx = vec![0xff, b't', b'O', b'c', 0, 0, 0, 2];
        for b in 0..=255u8 {
            idx.extend_from_slice(&u32::from(b >= id[0]).to_be_bytes());
        }
        idx.extend_from_slice(&id);
        idx.extend_from_slice(&[0; 4]); // crc, not read
        idx.extend_from_slice(&12u32.to_be_bytes());
        idx.extend_from_slice(&[0; 40]);
        std::fs::write(packs.join("pack-x.pack"), pack).unwrap();
        std::fs::write(packs.join("pack-x.idx"), idx).unwrap();
        dir
    }

    #[test]
    fn chains_that_loop_are_declined_at_once() {
        let id = [0x42u8; 20];
        let copy = delta(3, 3, &[0x90, 3]);
        // A REF_DELTA whose base is itself.
        let mut entry = vec![0x70 | copy.len() as u8];
        entry.extend_from_slice(&id);
        let dir = handmade_pack(id, &entry, &copy);
        let mut reader = PackReader::open(&dir.path().join("objects"));
        assert!(reader.read_blob(Oid::from_bytes(&id).unwrap()).is_none());
        assert_eq!((reader.read, reader.declined), (0, 1));
        // An OFS_DELTA 0 bytes back: itself again.
        let dir = handmade_pack(id, &[0x60 | copy.len() as u8, 0], &copy);
        let mut reader = PackReader::open(&dir.path().join("objects"));
        assert!(reader.read_blob(Oid::from_bytes(&id).unwrap()).is_none());
        // The same pack holding a plain blob reads (the hand-made index is right).
        let dir = handmade_pack(id, &[0x30 | 5], b"hello");
        let mut reader = PackReader::open(&dir.path().join("objects"));
        assert_eq!(
            reader.read_blob(Oid::from_bytes(&id).unwrap()).unwrap(),
            b"hello"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// Differential: any history of edits, packed by libgit2, reads
        /// the same through this reader as through libgit2.
        #[test]
        fn any_edits_read_as_libgit2_reads_them(
            edits in proptest::collection::vec((0usize..1000, 0u8..30), 1..40)
        ) {
            let (dir, ids) = versions(&edited(&edits), false).unwrap();
            same_as_libgit2(dir.path(), &ids);
        }

        /// Deltas from arbitrary bytes never panic and never build past
        /// the limit; a delta that inserts everything gives its bytes.
        #[test]
        fn any_delta_is_safe(base in proptest::collection::vec(any::<u8>(), 0..300),
                             ops in proptest::collection::vec(any::<u8>(), 0..300),
                             text in proptest::collection::vec(any::<u8>(), 1..127)) {
            if let Some(out) = apply_delta(&base, &delta(base.len(), 50, &ops), 50) {
                prop_assert_eq!(out.len(), 50);
            }
            let mut insert = vec![text.len() as u8];
            insert.extend_from_slice(&text);
            prop_assert_eq!(apply_delta(&base, &delta(base.len(), text.len(), &insert), 1000), Some(text.clone()));
        }
    }
}
