//! Property: on any input, every row read is either loaded or rejected, and nothing panics.

use omnikpi_engine::io::{load_bytes, Format, LoadOptions};
use proptest::prelude::*;

const GOOD: &str =
    "id,case_id,channel,arrived_at,first_response_s,handle_s,closed_at,csat,nps,ces,resolved\n\
a1,k1,chat,2024-01-01T10:00:00Z,5,60,2024-01-01T10:05:00Z,4,9,2,yes\n\
a2,k1,voice,2024-01-01 11:00:00,1:05,00:03:00,,5,,,no\n\
a3,,email,2024-01-02,,,,,,,\n\
\"a4\",k2,social,2024-01-03T10:00:00+01:00,10,,2024-01-03T10:30:00+01:00,,10,7,true\n";

fn check(bytes: &[u8], format: Option<Format>) {
    let o = LoadOptions {
        format,
        ..Default::default()
    };
    if let Ok(ds) = load_bytes("p", bytes, &o) {
        let r = &ds.report;
        assert_eq!(r.rows_read, r.rows_loaded + r.rows_rejected);
        assert_eq!(r.rows_rejected as usize, r.rejected.len());
        let stored = ds.contacts.len() + ds.agents.len() + ds.daily.len();
        assert_eq!(r.rows_loaded as usize, stored);
        // One source: its counts are the totals.
        assert_eq!(r.sources.len(), 1);
        let s = &r.sources[0];
        assert_eq!(
            (
                s.rows_read,
                s.rows_loaded,
                s.rows_rejected,
                s.warnings as usize
            ),
            (
                r.rows_read,
                r.rows_loaded,
                r.rows_rejected,
                r.warnings.len()
            )
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        for f in [None, Some(Format::Csv), Some(Format::Json), Some(Format::Ndjson), Some(Format::Xlsx), Some(Format::Arrow)] {
            check(&bytes, f);
        }
    }

    #[test]
    fn corrupted_csv(edits in proptest::collection::vec((0usize..GOOD.len(), any::<u8>(), 0u8..3), 1..12)) {
        let mut b = GOOD.as_bytes().to_vec();
        for (pos, byte, op) in edits {
            let p = pos.min(b.len().saturating_sub(1));
            match op {
                0 if !b.is_empty() => b[p] = byte,
                1 => b.insert(p, byte),
                _ if !b.is_empty() => { b.remove(p); }
                _ => {}
            }
        }
        check(&b, Some(Format::Csv));
        check(&b, None);
    }

    #[test]
    fn corrupted_json(cut in 0usize..400, junk in "[a-z{}\\[\\]\",:0-9 ]{0,20}") {
        let doc = r#"[{"id":"a","channel":"chat","arrived_at":"2024-01-01T10:00:00Z","csat":5},
            {"id":"b","channel":"phone","arrived_at":"2024-01-01","handle_s":"1:00"},
            {"id":"a","channel":"x","arrived_at":"nope"}, 7, null]"#;
        let c = cut.min(doc.len());
        let text = format!("{}{}{}", &doc[..c], junk, &doc[c..]);
        check(text.as_bytes(), Some(Format::Json));
        check(text.as_bytes(), Some(Format::Ndjson));
        check(doc.as_bytes(), None);
    }
}
