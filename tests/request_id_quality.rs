//! The quality of generated request ids: a million from `MakeRequestUuidV4` are distinct and
//! well formed, ids made on several threads at once are distinct, and the random digits look
//! uniform.
//!
//! The uniformity checks are smoke tests, not randomness tests: their thresholds are so
//! generous that a sound generator fails them with a probability below 1e-7 per run, while a
//! broken one (a constant, a counter, a stuck bit, a digit drawn from half the alphabet) fails
//! them at once. The randomness source is `rand`'s thread-local generator (ChaCha-based,
//! seeded from the operating system), drawn 16 ids at a time; see docs/fuzzing.md.

use std::collections::HashSet;

use http::Request;
use tower_cloud_error::request_id::{is_valid_request_id, MakeRequestId, MakeRequestUuidV4};

/// One id from the crate's default generator, as the layer makes it.
fn generate(maker: &mut MakeRequestUuidV4, request: &Request<()>) -> [u8; 36] {
    let id = maker
        .make_request_id(request)
        .expect("the default generator always makes an id");
    id.header_value()
        .as_bytes()
        .try_into()
        .expect("a hyphenated UUID is 36 bytes")
}

/// The 128 bits of a lower-case hyphenated UUID v4, or a description of what is wrong with it.
/// Written by hand (no allocation, no `uuid` parse) to keep a million checks fast in a debug
/// build.
fn parse_v4(id: &[u8; 36]) -> Result<u128, String> {
    let mut value: u128 = 0;
    for (i, &b) in id.iter().enumerate() {
        if matches!(i, 8 | 13 | 18 | 23) {
            if b != b'-' {
                return Err(format!("no hyphen at {i}"));
            }
            continue;
        }
        let digit = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            _ => return Err(format!("not a lower-case hex digit at {i}: {b:#x}")),
        };
        value = value << 4 | u128::from(digit);
    }
    // Version: the high nibble of byte 6 (hex digit 12). Variant: the top two bits of byte 8
    // (hex digit 16) are 10.
    if (value >> 76) & 0xf != 4 {
        return Err("version is not 4".into());
    }
    if (value >> 62) & 0b11 != 0b10 {
        return Err("variant is not RFC 4122".into());
    }
    Ok(value)
}

#[test]
fn parse_v4_knows_good_from_bad() {
    let good = *b"ae2225f7-1c2e-427a-a1ad-5413b762957d";
    assert_eq!(parse_v4(&good), Ok(0xae2225f7_1c2e_427a_a1ad_5413b762957d));
    for (at, byte) in [
        (14, b'1'),
        (19, b'c'),
        (19, b'7'),
        (0, b'A'),
        (8, b'0'),
        (3, b'g'),
    ] {
        let mut bad = good;
        bad[at] = byte;
        assert!(parse_v4(&bad).is_err(), "{}", String::from_utf8_lossy(&bad));
    }
}

#[test]
fn a_million_ids_are_distinct_and_well_formed() {
    const N: usize = 1_000_000;
    let mut maker = MakeRequestUuidV4::default();
    let request = Request::new(());
    let mut seen: HashSet<u128> = HashSet::with_capacity(N);
    for n in 0..N {
        let id = generate(&mut maker, &request);
        let value =
            parse_v4(&id).unwrap_or_else(|why| panic!("{why}: {}", String::from_utf8_lossy(&id)));
        // Full validation on a sample: `is_valid_request_id` is the rule for ids from outside,
        // and generated ids pass it too.
        if n % 1000 == 0 {
            assert!(is_valid_request_id(&id));
            let parsed = uuid::Uuid::parse_str(std::str::from_utf8(&id).unwrap()).unwrap();
            assert_eq!(parsed.get_version_num(), 4);
            assert_eq!(parsed.as_u128(), value);
        }
        assert!(
            seen.insert(value),
            "duplicate id after {n}: {}",
            String::from_utf8_lossy(&id)
        );
    }
    assert_eq!(seen.len(), N);
}

#[test]
fn ids_made_on_several_threads_at_once_are_distinct() {
    const THREADS: usize = 4;
    const PER_THREAD: usize = 50_000;
    let handles: Vec<_> = (0..THREADS)
        .map(|_| {
            std::thread::spawn(|| {
                let mut maker = MakeRequestUuidV4::default();
                let request = Request::new(());
                (0..PER_THREAD)
                    .map(|_| parse_v4(&generate(&mut maker, &request)).unwrap())
                    .collect::<Vec<u128>>()
            })
        })
        .collect();
    let mut seen = HashSet::with_capacity(THREADS * PER_THREAD);
    for handle in handles {
        for value in handle.join().unwrap() {
            assert!(seen.insert(value), "duplicate across threads: {value:032x}");
        }
    }
}

/// The chi-square statistic of `counts` against a uniform distribution.
fn chi_square(counts: &[u64]) -> f64 {
    let total: u64 = counts.iter().sum();
    let expected = total as f64 / counts.len() as f64;
    counts
        .iter()
        .map(|&count| {
            let d = count as f64 - expected;
            d * d / expected
        })
        .sum()
}

#[test]
fn random_hex_digits_and_bits_are_roughly_uniform() {
    const N: u64 = 100_000;
    let mut maker = MakeRequestUuidV4::default();
    let request = Request::new(());
    // Per hex digit position (0..32): how often each of the 16 values appears.
    let mut digits = [[0u64; 16]; 32];
    // Per bit (0..128, most significant first): how often it is set.
    let mut ones = [0u64; 128];
    for _ in 0..N {
        let value = parse_v4(&generate(&mut maker, &request)).unwrap();
        for (position, counts) in digits.iter_mut().enumerate() {
            counts[((value >> (124 - 4 * position)) & 0xf) as usize] += 1;
        }
        for (bit, count) in ones.iter_mut().enumerate() {
            *count += ((value >> (127 - bit)) & 1) as u64;
        }
    }

    for (position, counts) in digits.iter().enumerate() {
        match position {
            // The version digit is always 4.
            12 => assert_eq!(counts[4], N),
            // The variant digit is 8, 9, a or b: its two low bits are random.
            16 => {
                assert_eq!(counts[8] + counts[9] + counts[10] + counts[11], N);
                let statistic = chi_square(&counts[8..12]);
                // 3 degrees of freedom: P(X > 70) is about 4e-15.
                assert!(statistic < 70.0, "variant digit: chi-square {statistic:.1}");
            }
            // 15 degrees of freedom: mean 15, and P(X > 100) is about 1e-14.
            _ => {
                let statistic = chi_square(counts);
                assert!(
                    statistic < 100.0,
                    "hex digit {position}: chi-square {statistic:.1}, counts {counts:?}"
                );
            }
        }
    }

    // The 122 random bits: each set in 50% ± 1% of the ids (6.3 standard deviations at
    // N = 100 000, so P(any of them outside) is below 1e-7 for a sound generator). The 6 fixed
    // bits are always what they must be.
    let fixed = [48, 49, 50, 51, 64, 65];
    for (bit, &count) in ones.iter().enumerate() {
        let share = count as f64 / N as f64;
        if fixed.contains(&bit) {
            let expected = match bit {
                49 | 64 => 1.0,
                _ => 0.0,
            };
            assert_eq!(share, expected, "fixed bit {bit}");
        } else {
            assert!(
                (0.49..=0.51).contains(&share),
                "bit {bit} is set in {:.2}% of the ids",
                share * 100.0
            );
        }
    }
}
