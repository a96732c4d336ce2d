//! "Download for offline use": one HTML file made in the page from the app's own files
//! (`board::offline_page` assembles it), carrying the current scenario. Opened from the
//! file system, that file boots from what it carries and never touches the network.
//!
//! Where the parts come from: on the served app, the files the chunks' manifest names
//! (`ui::lazy::files`: the wasm, every chunk, and the build's offline boot module, which
//! holds the glue and a chunk loader that reads the chunks from the file), and
//! `<link rel="stylesheet">`, fetched again (the browser has them cached). In an offline copy, its own `<style>`, boot script, wasm and chunk
//! text, so a copy can make further copies.

use crate::board::offline_page::{
    self, OfflineParts, BOOT_ID, CHUNK_ATTRIBUTE, SCENARIO_ID, STYLE_ID, WASM_ID,
};
use crate::draft::Draft;
use crate::ui::files;
use crate::ui::state::{use_store, Action, Notice};
use crate::ui::storage;
use onebudget_engine::scenario;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// The scenario an offline copy carries, as the draft to start from; `None` on the
/// served app. Its autosave is kept apart from other copies' (`storage::use_slot`).
pub fn carried_draft() -> Option<Draft> {
    let text = document()?.get_element_by_id(SCENARIO_ID)?.text_content()?;
    let draft = Draft::from_valid(scenario::decode(&text).ok()?)?;
    storage::use_slot(&format!("offline.{}", offline_page::fingerprint(&text)));
    Some(draft)
}

/// Whether this page is itself an offline copy.
pub fn is_offline_copy() -> bool {
    document().is_some_and(|d| d.get_element_by_id(WASM_ID).is_some())
}

async fn fetch(url: &str) -> Result<web_sys::Response, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|_| format!("{url} could not be read"))?
        .dyn_into()
        .map_err(|_| format!("{url} could not be read"))?;
    if !response.ok() {
        return Err(format!("{url} could not be read ({})", response.status()));
    }
    Ok(response)
}

async fn fetch_text(url: &str) -> Result<String, String> {
    let promise = fetch(url)
        .await?
        .text()
        .map_err(|_| format!("{url} is not text"))?;
    JsFuture::from(promise)
        .await
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| format!("{url} is not text"))
}

async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    let promise = fetch(url)
        .await?
        .array_buffer()
        .map_err(|_| format!("{url} could not be read"))?;
    let buffer = JsFuture::from(promise)
        .await
        .map_err(|_| format!("{url} could not be read"))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

fn text_of(document: &web_sys::Document, id: &str) -> Result<String, String> {
    document
        .get_element_by_id(id)
        .and_then(|e| e.text_content())
        .ok_or_else(|| format!("this copy has no #{id}"))
}

/// The chunks an offline copy carries, as (file name, base64url text).
fn carried_chunks(document: &web_sys::Document) -> Result<Vec<(String, String)>, String> {
    let nodes = document
        .query_selector_all(&format!("script[{CHUNK_ATTRIBUTE}]"))
        .map_err(|_| "this copy's chunks could not be found")?;
    let mut chunks = Vec::new();
    for i in 0..nodes.length() {
        let Some(element) = nodes
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let name = element.get_attribute(CHUNK_ATTRIBUTE).unwrap_or_default();
        let text = element.text_content().unwrap_or_default();
        chunks.push((name, text.trim().to_string()));
    }
    Ok(chunks)
}

/// The app's parts, from wherever this page got them.
async fn parts() -> Result<OfflineParts, String> {
    let document = document().ok_or("no document")?;
    if is_offline_copy() {
        return Ok(OfflineParts {
            css: text_of(&document, STYLE_ID)?,
            boot: text_of(&document, BOOT_ID)?,
            wasm_base64: text_of(&document, WASM_ID)?.trim().to_string(),
            chunks: carried_chunks(&document)?,
        });
    }
    let manifest_url = crate::ui::lazy::files()?
        .manifest
        .ok_or("this build of OneBudget cannot make offline copies")?;
    let manifest: serde_json::Value = serde_json::from_str(&fetch_text(&manifest_url).await?)
        .map_err(|_| format!("{manifest_url} could not be read"))?;
    // The manifest's file names are relative to the manifest.
    let base = manifest_url
        .rfind('/')
        .map_or("", |end| &manifest_url[..=end]);
    let file = |value: &serde_json::Value| {
        value
            .as_str()
            .map(|name| format!("{base}{name}"))
            .ok_or_else(|| format!("{manifest_url} does not name every file"))
    };
    let mut css = String::new();
    let sheets = document
        .query_selector_all("link[rel=stylesheet]")
        .map_err(|_| "the stylesheets could not be found")?;
    for i in 0..sheets.length() {
        let href = sheets
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.get_attribute("href"));
        if let Some(href) = href {
            css.push_str(&fetch_text(&href).await?);
            css.push('\n');
        }
    }
    let boot = offline_page::inline_module(&fetch_text(&file(&manifest["offline"])?).await?)?;
    let wasm_base64 = offline_page::wasm_base64(&fetch_bytes(&file(&manifest["wasm"])?).await?);
    let mut chunks = Vec::new();
    if let Some(listed) = manifest["chunks"].as_object() {
        for (key, chunk) in listed {
            let bytes = fetch_bytes(&file(&chunk["file"])?).await?;
            chunks.push((key.clone(), offline_page::wasm_base64(&bytes)));
        }
    }
    Ok(OfflineParts {
        css,
        boot,
        wasm_base64,
        chunks,
    })
}

/// "1.3 MB" for a size in bytes.
fn megabytes(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

/// The button, and what happened when it was pressed (as a notice).
#[component]
pub fn OfflineDownload() -> Html {
    let store = use_store();
    let busy = use_state(|| false);
    let onclick = {
        let store = store.clone();
        let busy = busy.clone();
        Callback::from(move |_: MouseEvent| {
            let store = store.clone();
            let busy = busy.clone();
            let scenario = store.draft.scenario().clone();
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let made = parts().await.and_then(|parts| {
                    let html = offline_page::page(&parts, &scenario.to_json(), &scenario.name);
                    let name = format!("{}-offline.html", files::slug(&scenario.name));
                    files::download(&name, "text/html;charset=utf-8", &html)
                        .map(|_| (name, html.len()))
                });
                busy.set(false);
                store.dispatch(Action::Notify(match made {
                    Ok((name, size)) => Notice::success(format!(
                        "Saved “{}” for offline use as {name} ({}). Open that file in a browser: it works with no network.",
                        scenario.name,
                        megabytes(size)
                    )),
                    Err(reason) => Notice::error(
                        format!("The offline copy could not be made: {reason}."),
                        vec![],
                    ),
                }));
            });
        })
    };
    html! {
        <button type="button" class="button-secondary" onclick={onclick} disabled={*busy}
            data-testid="download-offline">
            { if *busy { "Preparing the offline copy…" } else { "Download for offline use" } }
        </button>
    }
}
