//! The fuzz targets' checks (`fuzz/checks.rs`) on stable Rust, bounded: seeds from
//! `fuzz/seeds/` mutated by a seeded generator (bit flips, byte insertions and deletions,
//! splices, truncations), a fixed number of times. `fuzz/run.sh` runs the real cargo-fuzz
//! targets when a nightly toolchain is there.

#[allow(dead_code)]
#[path = "../fuzz/checks.rs"]
mod checks;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const TOKENS: [&[u8]; 12] = [
    b",",
    b"\"",
    b"\n",
    b";",
    b"{",
    b"}",
    b"[",
    b"]",
    b":",
    b"\xEF\xBB\xBF",
    b"\r\n",
    b"\xff",
];

fn mutate(seed: &[u8], rng: &mut Rng, other: &[u8]) -> Vec<u8> {
    let mut b = seed.to_vec();
    for _ in 0..1 + rng.below(8) {
        let p = rng.below(b.len() + 1);
        match rng.below(6) {
            0 if p < b.len() => b[p] ^= 1 << rng.below(8),
            1 => b.insert(p, rng.next() as u8),
            2 if p < b.len() => {
                b.remove(p);
            }
            3 => {
                let t = TOKENS[rng.below(TOKENS.len())];
                b.splice(p..p, t.iter().copied());
            }
            4 => {
                let q = rng.below(other.len() + 1);
                let r = (q + rng.below(64)).min(other.len());
                b.splice(p..p, other[q..r].iter().copied());
            }
            _ => b.truncate(p),
        }
    }
    b
}

#[test]
fn readers_survive_mutated_seeds() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/seeds");
    let mut seeds: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    seeds.sort();
    assert!(seeds.len() >= 5);
    let iterations: usize = std::env::var("FUZZ_SMOKE_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(400);
    let mut rng = Rng(20_261_123);
    for k in 0..iterations {
        let (name, seed) = &seeds[k % seeds.len()];
        let other = &seeds[rng.below(seeds.len())].1;
        let data = mutate(seed, &mut rng, other);
        let run = std::panic::catch_unwind(|| {
            checks::check_csv(&data);
            checks::check_json(&data);
            checks::check_mapped(&data);
        });
        if run.is_err() {
            panic!(
                "iteration {k} from {name} failed on input {:?}",
                String::from_utf8_lossy(&data)
            );
        }
    }
}
