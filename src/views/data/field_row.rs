//! One canonical field of the mapping screen: its source column (or a constant), a time column
//! to join for timestamps, the value transform, a value map and the values meaning "none".

use leptos::prelude::*;
use omnikpi_engine::io::{FieldMap, FieldSpec, Mapping, Transform};
use omnikpi_engine::VecMap;
use std::sync::Arc;

/// Option value of "a constant" in the source select.
pub const CONST: &str = "__constant__";

/// Transforms with their labels.
pub const TRANSFORMS: [(Transform, &str, &str); 6] = [
    (Transform::None, "none", "as is"),
    (
        Transform::Bool,
        "bool",
        "Y/N, yes/no, true/false, 1/0 → boolean",
    ),
    (Transform::Not, "not", "the same, negated"),
    (
        Transform::Duration,
        "duration",
        "hh:mm:ss / mm:ss → seconds",
    ),
    (Transform::Minutes, "minutes", "minutes → seconds"),
    (Transform::Hours, "hours", "hours → seconds"),
];

fn transform_id(t: Transform) -> &'static str {
    TRANSFORMS
        .iter()
        .find(|x| x.0 == t)
        .map(|x| x.1)
        .unwrap_or("none")
}

/// Changes field `field` of the draft; a field with neither column nor constant is removed.
pub fn edit(draft: RwSignal<Mapping>, field: &str, f: impl FnOnce(&mut FieldMap)) {
    draft.update(|m| {
        let mut fm = m.fields.get(field).map(|s| s.to_map()).unwrap_or_default();
        f(&mut fm);
        if fm.column.is_none() && fm.constant.is_none() {
            m.fields.remove(field);
        } else {
            m.fields.insert(field.to_string(), FieldSpec::Map(fm));
        }
    });
}

/// `{"Phone": "voice"}` as `Phone=voice; …`.
pub fn format_values(v: &VecMap<String, String>) -> String {
    v.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Parses `Phone=voice; Social media=social`.
pub fn parse_values(s: &str) -> VecMap<String, String> {
    s.split([';', '\n'])
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .filter(|(k, _)| !k.is_empty())
        .collect()
}

fn parse_list(s: &str) -> Vec<String> {
    s.split(';')
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// A few distinct sample values of `column`.
fn examples(headers: &[String], sample: &[Vec<String>], column: &str) -> String {
    let Some(i) = headers.iter().position(|h| h == column) else {
        return String::new();
    };
    let mut seen: Vec<&str> = Vec::new();
    for r in sample {
        let v = r.get(i).map(|s| s.trim()).unwrap_or("");
        if !v.is_empty() && !seen.contains(&v) {
            seen.push(v);
            if seen.len() == 3 {
                break;
            }
        }
    }
    seen.iter()
        .map(|v| v.chars().take(24).collect::<String>())
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The mapping row of one canonical field.
#[component]
pub fn FieldRow(
    /// Canonical field name.
    field: &'static str,
    /// True for `id`, `arrived_at`, `channel`.
    required: bool,
    /// The mapping being edited.
    draft: RwSignal<Mapping>,
    /// The file's columns.
    headers: Arc<Vec<String>>,
    /// The file's first rows.
    sample: Arc<Vec<Vec<String>>>,
) -> impl IntoView {
    let fm = Memo::new(move |_| draft.with(|m| m.fields.get(field).map(|s| s.to_map())));
    let source = move || match fm.get() {
        Some(FieldMap {
            column: Some(c), ..
        }) => c,
        Some(FieldMap {
            constant: Some(_), ..
        }) => CONST.to_string(),
        _ => String::new(),
    };
    let on_source = move |ev: web_sys::Event| {
        let v = event_target_value(&ev);
        edit(draft, field, |m| {
            if v.is_empty() {
                m.column = None;
                m.constant = None;
            } else if v == CONST {
                m.column = None;
                m.constant.get_or_insert_with(String::new);
            } else {
                m.column = Some(v);
            }
        });
    };
    let timestamp = field == "arrived_at" || field == "closed_at";
    let col_options = {
        let headers = headers.clone();
        move || {
            headers
                .iter()
                .map(|h| {
                    let h2 = h.clone();
                    let h3 = h.clone();
                    view! { <option value=h.clone() prop:selected=move || source() == h2>{h3}</option> }
                })
                .collect::<Vec<_>>()
        }
    };
    let time_select = timestamp.then(|| {
        let opts: Vec<_> = headers
            .iter()
            .map(|h| {
                let h2 = h.clone();
                let sel = move || fm.get().and_then(|m| m.time_column).as_deref() == Some(h2.as_str());
                view! { <option value=h.clone() prop:selected=sel>{h.clone()}</option> }
            })
            .collect();
        view! {
            <label class="inline">" + time "
                <select data-testid=format!("map-time-{field}") on:change=move |ev| {
                    let v = event_target_value(&ev);
                    edit(draft, field, |m| m.time_column = (!v.is_empty()).then_some(v));
                }>
                    <option value="" prop:selected=move || fm.get().and_then(|m| m.time_column).is_none()>"—"</option>
                    {opts}
                </select>
            </label>
        }
    });
    let ex = {
        let (h, s) = (headers.clone(), sample.clone());
        move || {
            fm.get()
                .and_then(|m| m.column)
                .map(|c| examples(&h, &s, &c))
                .unwrap_or_default()
        }
    };
    view! {
        <tr data-testid=format!("map-row-{field}") class:unmapped=move || required && fm.get().is_none()>
            <th scope="row"><code>{field}</code>{required.then_some(" *")}</th>
            <td>
                <select data-testid=format!("map-col-{field}") aria-label=format!("source of {field}") on:change=on_source>
                    <option value="" prop:selected=move || source().is_empty()>"— not in the file —"</option>
                    <option value=CONST prop:selected=move || source() == CONST>"a constant"</option>
                    {col_options}
                </select>
                {time_select}
                <div class="muted sample">{ex}</div>
            </td>
            <td>
                <input type="text" size="8" data-testid=format!("map-const-{field}") aria-label=format!("constant of {field}")
                    placeholder="constant"
                    prop:value=move || fm.get().and_then(|m| m.constant).unwrap_or_default()
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        edit(draft, field, |m| m.constant = (!v.is_empty() || m.column.is_none()).then_some(v));
                    } />
            </td>
            <td>
                <select data-testid=format!("map-transform-{field}") aria-label=format!("transform of {field}") on:change=move |ev| {
                    let v = event_target_value(&ev);
                    let t = TRANSFORMS.iter().find(|x| x.1 == v).map(|x| x.0).unwrap_or_default();
                    edit(draft, field, |m| m.transform = t);
                }>
                    {TRANSFORMS.iter().map(|(t, id, label)| {
                        let t = *t;
                        view! { <option value=*id prop:selected=move || fm.get().map(|m| transform_id(m.transform)) == Some(transform_id(t))>{*label}</option> }
                    }).collect::<Vec<_>>()}
                </select>
            </td>
            <td>
                <input type="text" data-testid=format!("map-values-{field}") aria-label=format!("value map of {field}")
                    placeholder="Phone=voice; Social media=social"
                    prop:value=move || fm.get().map(|m| format_values(&m.values)).unwrap_or_default()
                    on:change=move |ev| { let v = parse_values(&event_target_value(&ev)); edit(draft, field, |m| m.values = v); } />
            </td>
            <td>
                <input type="text" size="8" data-testid=format!("map-nulls-{field}") aria-label=format!("values meaning none for {field}")
                    placeholder="0; N/A"
                    prop:value=move || fm.get().map(|m| m.null_values.join("; ")).unwrap_or_default()
                    on:change=move |ev| { let v = parse_list(&event_target_value(&ev)); edit(draft, field, |m| m.null_values = v); } />
            </td>
        </tr>
    }
}
