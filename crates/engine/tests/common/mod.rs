//! Shared helpers of the integration tests: sample records and a tiny XLSX writer.
#![allow(dead_code)]

use omnikpi_engine::{Channel, ContactRecord};
use std::io::Write;

/// A few contacts using every field, with values that survive `f32` storage exactly.
pub fn sample_contacts() -> Vec<ContactRecord> {
    let base = 1_706_694_778; // 2024-01-31T09:52:58Z
    let mut out = Vec::new();
    for k in 0..6i64 {
        let ch = Channel::ALL[k as usize % 7];
        out.push(ContactRecord {
            id: format!("C-{k:03}"),
            case_id: (k % 3 != 0).then(|| format!("K{}", k / 2)),
            customer_id: Some(format!("cust{}", k % 4)),
            channel: Some(ch),
            arrived_at: base + k * 3600,
            first_response_s: (k != 2).then_some(12.5 * k as f64),
            abandoned: k == 2,
            // One whose source did not say: every writer must keep that.
            abandoned_unknown: k == 3,
            handle_s: (k != 2).then_some(300.0 + k as f64),
            closed_at: (k != 2).then_some(base + k * 3600 + 900),
            resolved: k % 2 == 0,
            agent_id: Some(format!("A{}", k % 2)),
            team: Some("Blue, \"quoted\"".into()),
            topic: Some("billing\nsecond line".into()),
            segment: Some("vip".into()),
            region: Some("north".into()),
            priority: Some("high".into()),
            bot: k == 1,
            handed_off: k == 1,
            handoff_s: (k == 1).then_some(20.0),
            transfers: k as u32 % 2,
            cost: Some(4.5),
            revenue: (k == 4).then_some(120.25),
            csat: Some(1 + (k % 5) as u8),
            nps: Some((k * 2) as u8),
            ces: Some(1 + k as u8),
            sentiment: Some(-0.5),
            qa_accuracy: Some(90.0),
            qa_professionalism: Some(80.0),
            qa_problem_solving: Some(70.0),
            qa_compliance: Some(100.0),
            extra: vec![("store".into(), format!("S{k}"))],
        });
    }
    out
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A minimal XLSX workbook (inline strings, no compression) with one sheet per entry.
pub fn xlsx(sheets: &[(&str, Vec<Vec<String>>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opt =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut put = |name: &str, body: String| {
        zip.start_file(name, opt).unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    };
    let mut types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
    );
    let mut wb = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#,
    );
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for (k, (name, rows)) in sheets.iter().enumerate() {
        let n = k + 1;
        types += &format!(
            r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        );
        wb += &format!(
            r#"<sheet name="{}" sheetId="{n}" r:id="rId{n}"/>"#,
            esc(name)
        );
        rels += &format!(
            r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#
        );
        let mut sheet = String::from(
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
        );
        for (r, row) in rows.iter().enumerate() {
            sheet += &format!(r#"<row r="{}">"#, r + 1);
            for (c, v) in row.iter().enumerate() {
                let col = if c < 26 {
                    ((b'A' + c as u8) as char).to_string()
                } else {
                    format!(
                        "{}{}",
                        (b'A' + (c / 26 - 1) as u8) as char,
                        (b'A' + (c % 26) as u8) as char
                    )
                };
                if v.is_empty() {
                    continue;
                }
                sheet += &format!(
                    r#"<c r="{col}{}" t="inlineStr"><is><t>{}</t></is></c>"#,
                    r + 1,
                    esc(v)
                );
            }
            sheet += "</row>";
        }
        sheet += "</sheetData></worksheet>";
        put(&format!("xl/worksheets/sheet{n}.xml"), sheet);
    }
    types += "</Types>";
    wb += "</sheets></workbook>";
    rels += "</Relationships>";
    put("[Content_Types].xml", types);
    put("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.into());
    put("xl/workbook.xml", wb);
    put("xl/_rels/workbook.xml.rels", rels);
    zip.finish().unwrap().into_inner()
}
