//! Small building blocks of the compact layouts of the logical view: varints and
//! lists of offsets in 32 bits.
//!
//! A report of tens of megabytes can hold millions of paragraphs, pieces of text
//! and table cells; what each keeps is what its input costs in memory. Offsets
//! and lengths are stored as LEB128 varints (a short run costs one or two bytes,
//! whatever the input size), and lists of offsets as `u32` while they fit — with
//! no limit on the input: a list that outgrows 32 bits widens.

/// Appends `v` as a LEB128 varint.
pub(crate) fn put(bytes: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        bytes.push((v as u8) | 0x80);
        v >>= 7;
    }
    bytes.push(v as u8);
}

/// The varint at `*pos`, moving `*pos` past it (0 past the end: the bytes are
/// ours, never input).
pub(crate) fn get(bytes: &[u8], pos: &mut usize) -> u64 {
    let mut v = 0u64;
    let mut shift = 0;
    while let Some(&b) = bytes.get(*pos) {
        *pos += 1;
        if shift < 64 {
            v |= u64::from(b & 0x7f) << shift;
        }
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    v
}

/// A signed distance as an unsigned varint value (small either way: zigzag).
pub(crate) fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

/// The inverse of [`zigzag`].
pub(crate) fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// `to - from` as a zigzag varint value.
pub(crate) fn delta(to: usize, from: usize) -> u64 {
    zigzag((to as i64).wrapping_sub(from as i64))
}

/// `from` moved by a [`delta`] value.
pub(crate) fn apply(from: usize, delta: u64) -> usize {
    (from as i64).wrapping_add(unzigzag(delta)) as usize
}

/// A list of increasing offsets: 4 bytes each while they fit in 32 bits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Offsets {
    Small(Vec<u32>),
    Large(Vec<usize>),
}

impl Default for Offsets {
    fn default() -> Self {
        Offsets::Small(Vec::new())
    }
}

impl Offsets {
    pub(crate) fn push(&mut self, v: usize) {
        match self {
            Offsets::Small(list) => match u32::try_from(v) {
                Ok(small) => list.push(small),
                Err(_) => {
                    let mut wide: Vec<usize> = list.iter().map(|&o| o as usize).collect();
                    wide.push(v);
                    *self = Offsets::Large(wide);
                }
            },
            Offsets::Large(list) => list.push(v),
        }
    }

    pub(crate) fn len(&self) -> usize {
        match self {
            Offsets::Small(list) => list.len(),
            Offsets::Large(list) => list.len(),
        }
    }

    pub(crate) fn get(&self, i: usize) -> Option<usize> {
        match self {
            Offsets::Small(list) => list.get(i).map(|&o| o as usize),
            Offsets::Large(list) => list.get(i).copied(),
        }
    }

    /// How many offsets are at most `v` (the list is increasing).
    pub(crate) fn count_up_to(&self, v: usize) -> usize {
        match self {
            Offsets::Small(list) => list.partition_point(|&o| o as usize <= v),
            Offsets::Large(list) => list.partition_point(|&o| o <= v),
        }
    }

    pub(crate) fn shrink_to_fit(&mut self) {
        match self {
            Offsets::Small(list) => list.shrink_to_fit(),
            Offsets::Large(list) => list.shrink_to_fit(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_and_deltas_round_trip() {
        let mut bytes = Vec::new();
        let values = [0u64, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX];
        for v in values {
            put(&mut bytes, v);
        }
        let mut pos = 0;
        for v in values {
            assert_eq!(get(&bytes, &mut pos), v);
        }
        assert_eq!(pos, bytes.len());
        for (to, from) in [(5usize, 9usize), (9, 5), (0, usize::MAX >> 2), (7, 7)] {
            assert_eq!(apply(from, delta(to, from)), to);
        }
    }

    #[test]
    fn offsets_widen_past_32_bits() {
        let mut offsets = Offsets::default();
        offsets.push(3);
        offsets.push(u32::MAX as usize);
        assert!(matches!(offsets, Offsets::Small(_)));
        offsets.push(u32::MAX as usize + 10);
        assert!(matches!(offsets, Offsets::Large(_)));
        assert_eq!(offsets.get(2), Some(u32::MAX as usize + 10));
        assert_eq!(offsets.count_up_to(u32::MAX as usize), 2);
        assert_eq!(offsets.len(), 3);
    }
}
