//! The buffer a download is received into: it grows by doubling like a `Vec`, but never asks
//! for more than the address space allows (on wasm32 one allocation is at most 2 GiB, and a
//! plain doubling past 1 GiB panics with "capacity overflow"), and a source that does not fit
//! is an error, not a panic.

use super::ReadError;

/// Largest buffer one allocation may hold (`isize::MAX` bytes).
const MAX_BUFFER: usize = isize::MAX as usize;

/// Appends `chunk` to `buf`, growing it as [`grow_within`] does up to the largest allocation.
pub fn append_bytes(buf: &mut Vec<u8>, chunk: &[u8]) -> Result<(), ReadError> {
    grow_within(buf, chunk.len(), MAX_BUFFER)?;
    buf.extend_from_slice(chunk);
    Ok(())
}

/// Makes room in `buf` for `more` bytes without its capacity passing `limit`: doubling while
/// that fits, else up to the limit. [`ReadError::TooLarge`] when `limit` or the memory cannot
/// hold them.
fn grow_within(buf: &mut Vec<u8>, more: usize, limit: usize) -> Result<(), ReadError> {
    if buf.capacity() - buf.len() >= more {
        return Ok(());
    }
    let total = (buf.len() as u64).saturating_add(more as u64);
    let too_large = || ReadError::TooLarge { bytes: total };
    let need = buf
        .len()
        .checked_add(more)
        .filter(|&n| n <= limit)
        .ok_or_else(too_large)?;
    // Doubling; when the memory cannot give that much, half the extra room, and so on down to
    // none (room for one chunk at a time would copy the buffer for every chunk).
    let mut extra = need.max(buf.capacity().saturating_mul(2)).min(limit) - need;
    let len = buf.len();
    loop {
        if buf.try_reserve_exact(need + extra - len).is_ok() {
            return Ok(());
        }
        if extra == 0 {
            return Err(too_large());
        }
        extra /= 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_up_to_the_limit_then_refuses() {
        let mut buf = Vec::new();
        let mut caps = Vec::new();
        for _ in 0..10 {
            grow_within(&mut buf, 100, 1000).unwrap();
            buf.extend_from_slice(&[7; 100]);
            caps.push(buf.capacity());
        }
        // 100, 200, 400, 800, then exactly the limit instead of 1600.
        assert!(caps.iter().all(|&c| c <= 1000), "{caps:?}");
        assert_eq!(buf.len(), 1000);
        assert_eq!(
            grow_within(&mut buf, 1, 1000),
            Err(ReadError::TooLarge { bytes: 1001 })
        );
        // Room that is there already needs no growth, even at the limit.
        let mut full = Vec::with_capacity(10);
        full.extend_from_slice(&[1; 5]);
        assert_eq!(grow_within(&mut full, 5, 10), Ok(()));
        assert_eq!(
            grow_within(&mut full, usize::MAX, usize::MAX),
            Err(ReadError::TooLarge { bytes: u64::MAX })
        );
    }

    #[test]
    fn append_keeps_every_byte_in_order() {
        let mut buf = Vec::new();
        let want: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 251) as u8).collect();
        for part in want.chunks(333) {
            append_bytes(&mut buf, part).unwrap();
        }
        assert_eq!(buf, want);
    }
}
