//! The two real exports through their shipped presets.

use omnikpi_engine::io::{load_bytes, LoadOptions, Mapping};
use omnikpi_engine::model::flag;
use omnikpi_engine::{Channel, Reason};

fn preset(name: &str) -> Mapping {
    let path = format!(
        "{}/../../public/presets/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    Mapping::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn data(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn mean(xs: impl Iterator<Item = f64>) -> f64 {
    let (s, n) = xs.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    s / n as f64
}

/// Published figures of the PwC case study: 5,000 calls, 946 abandoned, speed of answer
/// 67.52 s, talk time 224.92 s, satisfaction 3.40. Unanswered calls have no speed of answer,
/// no talk time and no rating, so the means are over answered calls (rated calls for CSAT).
#[test]
fn pwc_call_center_gives_the_published_figures() {
    let m = preset("pwc-call-center");
    let opts = LoadOptions {
        mapping: Some(&m),
        ..Default::default()
    };
    let ds = load_bytes("pwc-call-center.csv", &data("pwc-call-center.csv"), &opts).unwrap();
    let r = &ds.report;
    assert_eq!(
        (r.rows_read, r.rows_loaded, r.rows_rejected),
        (5000, 5000, 0),
        "{:?}",
        r.rejected.first()
    );
    let c = &ds.contacts;
    assert_eq!(c.len(), 5000);
    assert!(c.channel.iter().all(|&ch| ch == Channel::Voice));
    let abandoned = (0..c.len()).filter(|&i| c.has(i, flag::ABANDONED)).count();
    assert_eq!(abandoned, 946);
    let asa = mean(
        (0..c.len())
            .filter_map(|i| c.first_response.get(i))
            .map(f64::from),
    );
    let talk = mean((0..c.len()).filter_map(|i| c.handle.get(i)).map(f64::from));
    let csat = mean((0..c.len()).filter_map(|i| c.csat.get(i)).map(f64::from));
    assert_eq!(format!("{asa:.2}"), "67.52");
    assert_eq!(format!("{talk:.2}"), "224.92");
    assert_eq!(format!("{csat:.2}"), "3.40");
    // Every answered call has a speed of answer, no abandoned one has.
    for i in 0..c.len() {
        assert_eq!(c.has(i, flag::ABANDONED), c.first_response.get(i).is_none());
    }
    let resolved = (0..c.len()).filter(|&i| c.has(i, flag::RESOLVED)).count();
    assert_eq!(resolved, 3646);
    assert_eq!(c.dim("agent_id").unwrap().dict.len() - 1, 8);
    // The export says whether each call was abandoned: 946 of 5,000.
    assert!((0..c.len()).all(|i| !c.has(i, flag::ABANDON_UNKNOWN)));
    let e = omnikpi_engine::Engine::new(ds, omnikpi_engine::Config::default()).unwrap();
    let a = e
        .total_for(&omnikpi_engine::Query::default(), &["abandonment_rate"])
        .unwrap();
    assert_eq!(a.value("abandonment_rate"), Some(946.0 / 5000.0));
}

#[test]
fn support_tickets_flag_resolution_before_first_response() {
    let m = preset("support-tickets");
    let opts = LoadOptions {
        mapping: Some(&m),
        ..Default::default()
    };
    let ds = load_bytes("support-tickets.csv", &data("support-tickets.csv"), &opts).unwrap();
    let r = &ds.report;
    assert_eq!(r.rows_read, 8469);
    assert_eq!(r.rows_read, r.rows_loaded + r.rows_rejected);
    // Open tickets carry no timestamp at all.
    assert_eq!(r.rows_rejected, 2819);
    assert!(r
        .rejected
        .iter()
        .all(|p| p.field == "arrived_at" && p.reason == Reason::Missing));
    let bad_close = r
        .warnings
        .iter()
        .filter(|p| p.reason == Reason::ClosedBeforeArrival)
        .count();
    assert_eq!(bad_close, 1365);
    let c = &ds.contacts;
    // No negative durations anywhere.
    assert!((0..c.len()).all(|i| c.close_after.get(i).is_none_or(|x| x >= 0.0)));
    let closed = (0..c.len())
        .filter(|&i| c.close_after.get(i).is_some())
        .count();
    assert_eq!(closed, 2769 - 1365);
    for ch in [
        Channel::Voice,
        Channel::Social,
        Channel::Chat,
        Channel::Email,
    ] {
        assert!(c.channel.contains(&ch));
    }
    assert!(!c.channel.contains(&Channel::Other));
    assert_eq!(c.csat.count(), 2769);
    assert!(c.dim("Ticket Type").is_some() && c.dim("Ticket Description").is_none());
    // Tickets have no abandonment: the export does not say, so the rate is no data, not 0 %
    // (QA pass 2 saw "Abandonment rate 0.0 %" for this file).
    assert!((0..c.len()).all(|i| c.has(i, flag::ABANDON_UNKNOWN) && !c.has(i, flag::ABANDONED)));
    let e = omnikpi_engine::Engine::new(ds, omnikpi_engine::Config::default()).unwrap();
    let q = omnikpi_engine::Query::default();
    let a = e.total_for(&q, &["abandonment_rate"]).unwrap();
    assert_eq!(a.value("abandonment_rate"), None);
    assert_eq!(a.value("contacts"), Some(5650.0));
    // The same from the hour cells (the light path) and per channel.
    let by = e
        .report_for(
            &q.clone().group_by(omnikpi_engine::Dim::Channel),
            &["abandonment_rate"],
        )
        .unwrap();
    assert_eq!(by.len(), 4);
    assert!(by.iter().all(|g| g.get("abandonment_rate").is_none()));
}

/// The header and first `n` rows of a CSV file, as the mapping screen shows them.
fn header_and_sample(bytes: &[u8], n: usize) -> (Vec<String>, Vec<Vec<String>>) {
    omnikpi_engine::io::peek_csv(bytes, n, true)
}

/// The automatic suggestion finds every PwC column but the channel, which the user adds.
#[test]
fn suggested_mapping_for_pwc_matches_the_preset() {
    use omnikpi_engine::io::{suggest_mapping, FieldMap, FieldSpec, Transform};
    let bytes = data("pwc-call-center.csv");
    let (headers, sample) = header_and_sample(&bytes, 200);
    let s = suggest_mapping(&headers, &sample);
    assert_eq!(s.unmatched_required, vec!["channel".to_string()]);
    assert!(s.ambiguous_dates.is_empty());
    let f = |k: &str| s.mapping.fields[k].to_map();
    assert_eq!(f("id").column.as_deref(), Some("Call Id"));
    assert_eq!(
        (
            f("arrived_at").column.as_deref(),
            f("arrived_at").time_column.as_deref()
        ),
        (Some("Date"), Some("Time"))
    );
    assert_eq!(
        (f("abandoned").column.as_deref(), f("abandoned").transform),
        (Some("Answered (Y/N)"), Transform::Not)
    );
    assert_eq!(f("handle_s").transform, Transform::Duration);
    assert_eq!(
        f("first_response_s").column.as_deref(),
        Some("Speed of answer in seconds")
    );
    assert_eq!(f("csat").column.as_deref(), Some("Satisfaction rating"));
    assert_eq!(f("agent_id").column.as_deref(), Some("Agent"));
    let mut m = s.mapping.clone();
    m.fields.insert(
        "channel".into(),
        FieldSpec::Map(FieldMap {
            constant: Some("voice".into()),
            ..Default::default()
        }),
    );
    let opts = LoadOptions {
        mapping: Some(&m),
        ..Default::default()
    };
    let ds = load_bytes("pwc.csv", &bytes, &opts).unwrap();
    assert_eq!((ds.report.rows_loaded, ds.report.rows_rejected), (5000, 0));
    let c = &ds.contacts;
    assert_eq!(
        (0..c.len()).filter(|&i| c.has(i, flag::ABANDONED)).count(),
        946
    );
}

/// Support tickets: channel values mapped from their foreign names, ambiguous dates asked.
#[test]
fn suggested_mapping_for_support_tickets_maps_channels() {
    use omnikpi_engine::io::{detect_date_order, suggest_mapping, DateOrderGuess};
    let (headers, sample) = header_and_sample(&data("support-tickets.csv"), 300);
    let s = suggest_mapping(&headers, &sample);
    let ch = s.mapping.fields["channel"].to_map();
    assert_eq!(ch.column.as_deref(), Some("Ticket Channel"));
    assert_eq!(ch.values.get("Phone").map(String::as_str), Some("voice"));
    assert_eq!(
        ch.values.get("Social media").map(String::as_str),
        Some("social")
    );
    assert_eq!(
        s.mapping.fields["id"].to_map().column.as_deref(),
        Some("Ticket ID")
    );
    assert_eq!(
        s.mapping.fields["priority"].to_map().column.as_deref(),
        Some("Ticket Priority")
    );
    assert!(!s
        .mapping
        .dimensions
        .contains(&"Ticket Description".to_string()));
    // "Resolution" is free text, not a yes/no: not suggested for `resolved` (it rejected 1,404
    // rows as "unparseable resolved" when accepted).
    assert!(!s.mapping.fields.contains_key("resolved"));
    assert_eq!(
        detect_date_order(["03/04/2024", "05/06/2024"]),
        DateOrderGuess::Ambiguous
    );
}

/// The PwC export ends its lines with `\r\n`. Mapped without a channel, every call is rejected,
/// each at the physical line an editor shows: ID0001 on line 2 (the header is line 1), ID5000
/// on line 5001. (`csv::Reader`'s positions, which the reader once followed, are a line early
/// for every record of a `\r\n` file.)
#[test]
fn rejected_rows_of_a_crlf_export_name_their_physical_lines() {
    let bytes = data("pwc-call-center.csv");
    assert!(
        bytes.windows(2).any(|w| w == b"\r\n"),
        "the export ends lines with CRLF"
    );
    let m = Mapping::from_json(
        r#"{"table":"contacts","fields":{"id":"Call Id","arrived_at":{"column":"Date","time_column":"Time"}}}"#,
    )
    .unwrap();
    let opts = LoadOptions {
        mapping: Some(&m),
        ..Default::default()
    };
    let ds = load_bytes("pwc-call-center.csv", &bytes, &opts).unwrap();
    let r = &ds.report;
    assert_eq!((r.rows_read, r.rows_rejected), (5000, 5000));
    let first = &r.rejected[0];
    assert_eq!(
        (first.line, first.field.as_str(), first.reason),
        (2, "channel", Reason::Missing)
    );
    assert!(first.raw.starts_with("ID0001,"), "{}", first.raw);
    // Each rejected row's line holds that row in the file.
    let text = String::from_utf8(bytes).unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    for p in &r.rejected {
        assert_eq!(lines[p.line as usize - 1], p.raw, "line {}", p.line);
    }
    assert_eq!(r.rejected.last().map(|p| p.line), Some(5001));
}

/// An "Answered…" column gives `abandoned` only when its values are yes/no: "Answered At" with
/// timestamps would reject every row as an unparseable flag.
#[test]
fn an_answered_column_of_timestamps_is_not_a_flag() {
    use omnikpi_engine::io::suggest_mapping;
    let headers: Vec<String> = ["Call Id", "Answered At", "Channel"]
        .map(String::from)
        .to_vec();
    let sample: Vec<Vec<String>> = (0..5)
        .map(|i| {
            vec![
                format!("c{i}"),
                format!("2026-11-16T09:0{i}:00Z"),
                "voice".into(),
            ]
        })
        .collect();
    let s = suggest_mapping(&headers, &sample);
    assert!(
        !s.mapping.fields.contains_key("abandoned"),
        "{:?}",
        s.mapping.fields
    );
    let yes_no: Vec<Vec<String>> = (0..5)
        .map(|i| {
            vec![
                format!("c{i}"),
                if i % 2 == 0 { "Y" } else { "N" }.into(),
                "voice".into(),
            ]
        })
        .collect();
    let s = suggest_mapping(&headers, &yes_no);
    assert_eq!(
        s.mapping.fields["abandoned"].to_map().column.as_deref(),
        Some("Answered At")
    );
}
