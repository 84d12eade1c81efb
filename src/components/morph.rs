//! Chart markup that updates in place. A filter change redraws every chart as a new SVG string;
//! set as `innerHTML`, each redraw replaced every element of every chart, and the browser styled
//! and laid out all of them again (≈ 600 of the ops page's elements per change, most of its
//! style and layout time). [`Morph`] parses the new markup into a detached `<template>` and
//! changes only what differs in the live elements: a heatmap's cells keep their elements and get
//! a new `fill` and `<title>`, a line gets new `points`.

use leptos::tachys::html::attribute::IntoAttributeValue;
use leptos::tachys::html::element::InnerHtmlValue;
use std::future::Future;
use std::sync::Arc;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
function attrs(x, y) {
  const ya = y.attributes;
  for (let i = 0; i < ya.length; i++) {
    const a = ya[i];
    if (x.getAttribute(a.name) !== a.value) x.setAttribute(a.name, a.value);
  }
  const xa = x.attributes;
  for (let i = xa.length - 1; i >= 0; i--) {
    if (!y.hasAttribute(xa[i].name)) x.removeAttribute(xa[i].name);
  }
}
// Makes a's children equal b's, keeping a's nodes where node type and name agree.
function sync(a, b) {
  let x = a.firstChild;
  let y = b.firstChild;
  while (y) {
    const ny = y.nextSibling;
    if (!x) {
      a.appendChild(y);
    } else if (x.nodeType !== y.nodeType || x.nodeName !== y.nodeName) {
      const nx = x.nextSibling;
      a.replaceChild(y, x);
      x = nx;
    } else {
      if (x.nodeType === 1) {
        attrs(x, y);
        sync(x, y);
      } else if (x.nodeValue !== y.nodeValue) {
        x.nodeValue = y.nodeValue;
      }
      x = x.nextSibling;
    }
    y = ny;
  }
  while (x) {
    const nx = x.nextSibling;
    a.removeChild(x);
    x = nx;
  }
}
// The markup is one root element (a chart's <svg>, maybe with white space around it); anything
// else is set as before. Only that root is touched, so the renderer's marker comments stay.
export function morph(el, html) {
  const t = document.createElement('template');
  t.innerHTML = html;
  const next = t.content.firstElementChild;
  const cur = el.firstElementChild;
  if (next && cur && cur.nodeName === next.nodeName && t.content.childElementCount === 1 && el.childElementCount === 1) {
    attrs(cur, next);
    sync(cur, next);
  } else {
    el.innerHTML = html;
  }
}
"#)]
extern "C" {
    fn morph(el: &web_sys::Element, html: &str);
}

/// Markup for `inner_html` that a re-render applies by changing the live elements in place
/// (see the module docs) rather than by replacing them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Morph(pub Arc<str>);

impl From<String> for Morph {
    fn from(s: String) -> Self {
        Morph(s.into())
    }
}

/// What `view!` asks of an `inner_html` value.
impl IntoAttributeValue for Morph {
    type Output = Self;

    fn into_attribute_value(self) -> Self {
        self
    }
}

impl InnerHtmlValue for Morph {
    type AsyncOutput = Self;
    type State = (web_sys::Element, Self);
    type Cloneable = Self;
    type CloneableOwned = Self;

    fn html_len(&self) -> usize {
        self.0.len()
    }

    fn to_html(self, buf: &mut String) {
        buf.push_str(&self.0);
    }

    fn to_template(_buf: &mut String) {}

    fn hydrate<const FROM_SERVER: bool>(self, el: &web_sys::Element) -> Self::State {
        if !FROM_SERVER {
            el.set_inner_html(&self.0);
        }
        (el.clone(), self)
    }

    fn build(self, el: &web_sys::Element) -> Self::State {
        el.set_inner_html(&self.0);
        (el.clone(), self)
    }

    fn rebuild(self, state: &mut Self::State) {
        if self != state.1 {
            morph(&state.0, &self.0);
            state.1 = self;
        }
    }

    fn into_cloneable(self) -> Self::Cloneable {
        self
    }

    fn into_cloneable_owned(self) -> Self::CloneableOwned {
        self
    }

    fn dry_resolve(&mut self) {}

    fn resolve(self) -> impl Future<Output = Self::AsyncOutput> + Send {
        std::future::ready(self)
    }
}
