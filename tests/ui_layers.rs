//! The UI's layers (ARCHITECTURE.md, "The UI in layers"), checked by the build rather
//! than by convention. The app only compiles for wasm, so this reads its sources: every
//! path a module of `src/` names (`use` statements, paths in code and in `html!`,
//! `mod` declarations) becomes an edge of the module graph, and
//!
//! - the graph has no cycle (a folder's `mod.rs` declares its children, so a child that
//!   reaches back to its parent, or to `ui` itself, is a cycle too);
//! - each edge points down the layers: the native modules (no UI at all), then the
//!   browser services, `state`, `charts` and `components`, the views, and the `App`;
//! - charts never import `state`, and components take state's types as props but never
//!   its store (`use_store`, `Store`, `Action`, `AppState`).
//!
//! Run `cargo test --test ui_layers -- --nocapture` to print the graph.
#![cfg(not(target_arch = "wasm32"))]

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module's path from the crate root: `ui::charts::budget`; the root is `crate`.
type Module = String;

/// Where a module's path is named: the file and line.
#[derive(Clone, Debug)]
struct Place {
    file: String,
    line: usize,
    /// What was named in it (the segment after the module's path), if anything.
    item: Option<String>,
}

struct Graph {
    /// Every module written in a file of its own (`src/x.rs`, `src/x/mod.rs`), with its file.
    files: BTreeMap<Module, PathBuf>,
    /// Every module, including those written inline (`mod tests { … }`), with the module of
    /// the file it is written in.
    modules: BTreeMap<Module, Module>,
    /// From module to module (both file modules), with where each was named.
    edges: BTreeMap<Module, BTreeMap<Module, Vec<Place>>>,
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The library's module files (not the binaries' entry points: they only call `ui::start`
/// or the CLI, and nothing imports them).
fn module_files() -> BTreeMap<Module, PathBuf> {
    let mut files = BTreeMap::new();
    let mut stack = vec![src()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src/ is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "bin") {
                    stack.push(path);
                }
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(src()).unwrap().with_extension("");
            let mut segments: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if segments.last().is_some_and(|s| s == "mod") {
                segments.pop();
            }
            let module = match segments.as_slice() {
                [only] if only == "lib" => "crate".to_string(),
                [only] if only == "main" => continue,
                _ => segments.join("::"),
            };
            files.insert(module, path);
        }
    }
    files
}

fn parse(path: &Path) -> TokenStream {
    let text = std::fs::read_to_string(path).expect("a source file is readable");
    text.parse()
        .unwrap_or_else(|e| panic!("{} does not tokenise: {e:?}", path.display()))
}

fn child(parent: &str, name: &str) -> Module {
    if parent == "crate" {
        name.to_string()
    } else {
        format!("{parent}::{name}")
    }
}

fn parent(module: &str) -> Module {
    match module.rsplit_once("::") {
        Some((parent, _)) => parent.to_string(),
        None => "crate".to_string(),
    }
}

/// The name of the inline module whose body is `tokens[i]` (`mod name { … }`), if it is one.
fn inline_module_name(tokens: &[TokenTree], i: usize) -> Option<String> {
    match (
        tokens.get(i),
        i.checked_sub(2).map(|j| &tokens[j]),
        i.checked_sub(1).map(|j| &tokens[j]),
    ) {
        (
            Some(TokenTree::Group(body)),
            Some(TokenTree::Ident(keyword)),
            Some(TokenTree::Ident(name)),
        ) if keyword == "mod" && body.delimiter() == Delimiter::Brace => Some(name.to_string()),
        _ => None,
    }
}

/// The inline modules (`mod name { … }`) in `tokens`, as children of `module`.
fn inline_modules(
    tokens: TokenStream,
    module: &str,
    file: &str,
    modules: &mut BTreeMap<Module, Module>,
) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, token) in tokens.iter().enumerate() {
        if let TokenTree::Group(group) = token {
            match inline_module_name(&tokens, i) {
                Some(name) => {
                    let inner = child(module, &name);
                    modules.insert(inner.clone(), file.to_string());
                    inline_modules(group.stream(), &inner, file, modules);
                }
                None => inline_modules(group.stream(), module, file, modules),
            }
        }
    }
}

/// One path named in the source: its segments (`super`, `crate`, names; `*` for a glob)
/// and its line.
struct NamedPath {
    segments: Vec<String>,
    line: usize,
}

fn is_colon(token: Option<&TokenTree>) -> bool {
    matches!(token, Some(TokenTree::Punct(p)) if p.as_char() == ':')
}

/// Every path in `tokens` (recursively, macro bodies included), each as it is written,
/// with a `use` tree's groups expanded: `use a::{b, c::d}` gives `a::b` and `a::c::d`.
/// Inline modules are walked with their own module path (`super` inside them is the file's
/// module).
fn paths(tokens: TokenStream, module: &str, out: &mut Vec<(Module, NamedPath)>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            TokenTree::Group(group) => {
                let inner = inline_module_name(&tokens, i)
                    .map_or_else(|| module.to_string(), |n| child(module, &n));
                paths(group.stream(), &inner, out);
                i += 1;
            }
            TokenTree::Ident(ident) if ident == "mod" => {
                // `mod name;` declares a child: the parent depends on it.
                if let (Some(TokenTree::Ident(name)), Some(TokenTree::Punct(p))) =
                    (tokens.get(i + 1), tokens.get(i + 2))
                {
                    if p.as_char() == ';' {
                        out.push((
                            module.to_string(),
                            NamedPath {
                                segments: vec!["self".into(), name.to_string()],
                                line: ident.span().start().line,
                            },
                        ));
                    }
                }
                i += 1;
            }
            TokenTree::Ident(ident) if ident == "use" => {
                let end = tokens[i..]
                    .iter()
                    .position(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ';'))
                    .map_or(tokens.len(), |n| i + n);
                use_tree(&tokens[i + 1..end], Vec::new(), module, out);
                i = end + 1;
            }
            TokenTree::Ident(first) => {
                // A path starts at a name not preceded by `::`.
                let preceded = i >= 2 && is_colon(tokens.get(i - 1)) && is_colon(tokens.get(i - 2));
                let mut segments = vec![first.to_string()];
                let mut j = i + 1;
                while is_colon(tokens.get(j)) && is_colon(tokens.get(j + 1)) {
                    match tokens.get(j + 2) {
                        Some(TokenTree::Ident(next)) => {
                            segments.push(next.to_string());
                            j += 3;
                        }
                        _ => break,
                    }
                }
                if !preceded && segments.len() > 1 {
                    out.push((
                        module.to_string(),
                        NamedPath {
                            segments,
                            line: first.span().start().line,
                        },
                    ));
                }
                i = j.max(i + 1);
            }
            _ => i += 1,
        }
    }
}

/// The paths of one `use` tree (without `use` and `;`), after `prefix`.
fn use_tree(
    tokens: &[TokenTree],
    prefix: Vec<String>,
    module: &str,
    out: &mut Vec<(Module, NamedPath)>,
) {
    // Split on top-level commas (only inside a group's braces; a whole `use` has none).
    let mut start = 0;
    for end in 0..=tokens.len() {
        let at_comma = matches!(tokens.get(end), Some(TokenTree::Punct(p)) if p.as_char() == ',');
        if end < tokens.len() && !at_comma {
            continue;
        }
        let part = &tokens[start..end];
        start = end + 1;
        if part.is_empty() {
            // A trailing comma.
            continue;
        }
        let mut segments = prefix.clone();
        let mut line = 0;
        for token in part {
            match token {
                TokenTree::Ident(ident) if ident == "as" => break,
                TokenTree::Ident(ident) if ident == "pub" => {}
                TokenTree::Ident(ident) => {
                    line = ident.span().start().line;
                    segments.push(ident.to_string());
                }
                TokenTree::Punct(p) if p.as_char() == '*' => {
                    line = p.span().start().line;
                    segments.push("*".into());
                }
                TokenTree::Group(group) if group.delimiter() == Delimiter::Brace => {
                    let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                    use_tree(&inner, segments.clone(), module, out);
                    segments.clear();
                    break;
                }
                _ => {}
            }
        }
        // `use a::b::{self, c}`: `self` names `a::b` itself.
        if segments.last().is_some_and(|s| s == "self") {
            segments.pop();
        }
        if !segments.is_empty() {
            out.push((module.to_string(), NamedPath { segments, line }));
        }
    }
}

/// The module a path names, and the item named in it, if the path leads into this crate.
fn resolve(
    module: &str,
    segments: &[String],
    modules: &BTreeMap<Module, Module>,
) -> Option<(Module, Option<String>)> {
    let mut base = module.to_string();
    let mut rest = segments;
    match segments.first()?.as_str() {
        "crate" => {
            base = "crate".into();
            rest = &segments[1..];
        }
        "self" => rest = &segments[1..],
        "super" => {
            let supers = segments.iter().take_while(|s| *s == "super").count();
            for _ in 0..supers {
                base = parent(&base);
            }
            rest = &segments[supers..];
        }
        // A child module, named from its parent (`views::public::PublicView` in `ui`).
        first if modules.contains_key(&child(module, first)) => {}
        _ => return None,
    }
    let mut found = base;
    let mut used = 0;
    for (n, segment) in rest.iter().enumerate() {
        let next = child(&found, segment);
        if modules.contains_key(&next) {
            found = next;
            used = n + 1;
        } else {
            break;
        }
    }
    Some((found, rest.get(used).cloned()))
}

fn graph() -> Graph {
    let files = module_files();
    let mut modules: BTreeMap<Module, Module> =
        files.keys().map(|m| (m.clone(), m.clone())).collect();
    let streams: BTreeMap<Module, TokenStream> = files
        .iter()
        .map(|(m, path)| (m.clone(), parse(path)))
        .collect();
    for (module, tokens) in &streams {
        inline_modules(tokens.clone(), module, module, &mut modules);
    }
    let mut edges: BTreeMap<Module, BTreeMap<Module, Vec<Place>>> = BTreeMap::new();
    for (module, tokens) in &streams {
        let file = files[module]
            .strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")))
            .unwrap()
            .display()
            .to_string();
        let mut named = Vec::new();
        paths(tokens.clone(), module, &mut named);
        for (from, path) in named {
            let Some((to, item)) = resolve(&from, &path.segments, &modules) else {
                continue;
            };
            let (from, to) = (modules[&from].clone(), modules[&to].clone());
            if from == to {
                continue;
            }
            edges
                .entry(from)
                .or_default()
                .entry(to)
                .or_default()
                .push(Place {
                    file: file.clone(),
                    line: path.line,
                    item,
                });
        }
    }
    Graph {
        files,
        modules,
        edges,
    }
}

type Edges = BTreeMap<Module, BTreeMap<Module, Vec<Place>>>;

/// The strongly connected components with more than one module (Tarjan's algorithm).
fn cycles(edges: &Edges) -> Vec<Vec<Module>> {
    struct Walk<'a> {
        edges: &'a Edges,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        found: Vec<Vec<Module>>,
    }
    fn visit<'a>(w: &mut Walk<'a>, v: &'a str) {
        let n = w.index.len();
        w.index.insert(v, n);
        w.low.insert(v, n);
        w.stack.push(v);
        w.on_stack.insert(v);
        if let Some(targets) = w.edges.get(v) {
            for to in targets.keys() {
                let to = to.as_str();
                if !w.index.contains_key(to) {
                    visit(w, to);
                    let low = w.low[v].min(w.low[to]);
                    w.low.insert(v, low);
                } else if w.on_stack.contains(to) {
                    let low = w.low[v].min(w.index[to]);
                    w.low.insert(v, low);
                }
            }
        }
        if w.low[v] == w.index[v] {
            let mut component = Vec::new();
            while let Some(top) = w.stack.pop() {
                w.on_stack.remove(top);
                component.push(top.to_string());
                if top == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                w.found.push(component);
            }
        }
    }
    let mut walk = Walk {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for module in edges.keys() {
        if !walk.index.contains_key(module.as_str()) {
            visit(&mut walk, module);
        }
    }
    walk.found
}

/// The shortest cycle through each edge of a strongly connected `component`, each once,
/// starting from its first module in order: what a person reads to untangle it.
fn shortest_cycles(edges: &Edges, component: &[Module]) -> Vec<Vec<Module>> {
    let inside = |m: &Module| component.contains(m);
    let mut found = BTreeSet::new();
    for from in component {
        for to in edges.get(from).into_iter().flatten().map(|(t, _)| t) {
            if !inside(to) {
                continue;
            }
            // Breadth first from `to` back to `from`.
            let mut came_from: BTreeMap<&Module, &Module> = BTreeMap::new();
            let mut queue = std::collections::VecDeque::from([to]);
            let mut seen = BTreeSet::from([to]);
            while let Some(at) = queue.pop_front() {
                if at == from {
                    break;
                }
                for next in edges.get(at).into_iter().flatten().map(|(t, _)| t) {
                    if inside(next) && seen.insert(next) {
                        came_from.insert(next, at);
                        queue.push_back(next);
                    }
                }
            }
            let mut cycle = vec![from.clone()];
            let mut at = from;
            while at != to {
                match came_from.get(at) {
                    Some(previous) => {
                        cycle.push((*previous).clone());
                        at = previous;
                    }
                    None => break,
                }
            }
            cycle.reverse();
            // Now to … from; rotate so the smallest module comes first, and close it.
            let path: Vec<Module> = std::iter::once(from.clone())
                .chain(cycle.into_iter().take_while(|m| m != from))
                .collect();
            let start = (0..path.len()).min_by_key(|&i| &path[i]).unwrap_or(0);
            let mut rotated: Vec<Module> = path[start..]
                .iter()
                .chain(&path[..start])
                .cloned()
                .collect();
            rotated.push(rotated[0].clone());
            found.insert(rotated);
        }
    }
    found.into_iter().collect()
}

/// The layers, lowest first. A module may name modules of its own layer or below, never
/// above. Each UI area is the module under `ui` and everything in it.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "native: the engine's shells, compiled and tested natively",
        &["area_page", "board", "draft", "embed", "format", "pool_run"],
    ),
    (
        "browser services: no components, no state",
        &[
            "ui::area_data",
            "ui::events",
            "ui::files",
            "ui::letter_case",
            "ui::share",
            "ui::storage",
        ],
    ),
    ("state: the state types and the reducer", &["ui::state"]),
    (
        "charts and components: props in, callbacks out",
        &["ui::charts", "ui::components"],
    ),
    (
        "views: read the store, compose charts and components",
        &[
            "ui::embed",
            "ui::lazy",
            "ui::offline",
            "ui::pooling",
            "ui::views",
        ],
    ),
    (
        "the app: the parts' table, the App and its start",
        &["ui", "ui::chunks"],
    ),
];

/// The layer of a module: the area it belongs to (the longest listed prefix).
fn layer(module: &str) -> Option<usize> {
    LAYERS
        .iter()
        .enumerate()
        .flat_map(|(n, (_, areas))| areas.iter().map(move |a| (n, *a)))
        .filter(|(_, area)| module == *area || module.starts_with(&format!("{area}::")))
        .max_by_key(|(_, area)| area.len())
        .map(|(n, _)| n)
}

/// What a chart or component may not name from `state`: the store and what reaches it.
const STORE: &[&str] = &["use_store", "Store", "Action", "AppState"];

fn places(places: &[Place]) -> String {
    let lines: BTreeSet<(&str, usize)> = places.iter().map(|p| (p.file.as_str(), p.line)).collect();
    lines
        .iter()
        .map(|(file, line)| format!("{file}:{line}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What is wrong with `edges`, if anything: each set of modules that depend on each
/// other, the shortest cycle through each of their edges, and where each edge is named.
fn cycle_report(edges: &Edges) -> String {
    let mut report = String::new();
    for component in cycles(edges) {
        report.push_str(&format!(
            "\n{} modules depend on each other: {}\n",
            component.len(),
            component.join(", ")
        ));
        for cycle in shortest_cycles(edges, &component) {
            report.push_str(&format!("  cycle: {}\n", cycle.join(" -> ")));
        }
        for from in &component {
            for (to, at) in edges.get(from).into_iter().flatten() {
                if component.contains(to) {
                    report.push_str(&format!("  {from} -> {to} ({})\n", places(at)));
                }
            }
        }
    }
    report
}

/// The UI's area a module belongs to: the module under `ui` it is in (`ui::views` for
/// `ui::views::edit::inputs`); outside the UI, the crate's top-level module.
fn area(module: &str) -> Module {
    let mut parts = module.split("::");
    match (parts.next(), parts.next()) {
        (Some("ui"), Some(second)) => format!("ui::{second}"),
        (Some(first), _) => first.to_string(),
        _ => module.to_string(),
    }
}

/// The graph of areas: an edge wherever a module of one names a module of another.
fn area_edges(graph: &Graph) -> Edges {
    let mut edges: Edges = BTreeMap::new();
    for (from, targets) in &graph.edges {
        for (to, at) in targets {
            let (a, b) = (area(from), area(to));
            // `ui` declares every area; each area is below it.
            if a != b && a != "ui" && a != "crate" {
                edges
                    .entry(a)
                    .or_default()
                    .entry(b)
                    .or_default()
                    .extend(at.iter().cloned());
            }
        }
    }
    edges
}

#[test]
fn the_module_graph_has_no_cycle() {
    let report = cycle_report(&graph().edges);
    assert!(
        report.is_empty(),
        "import cycles among the modules of src/ (a module may not reach its parent \
         either: move what both need into a module of its own):{report}"
    );
}

/// Coarser than modules: no two areas of the UI (`ui::views`, `ui::embed`, …) depend on
/// each other, even through different modules.
#[test]
fn the_ui_areas_have_no_cycle() {
    let report = cycle_report(&area_edges(&graph()));
    assert!(
        report.is_empty(),
        "import cycles among the UI's areas (a module under `ui` and all it holds):{report}"
    );
}

#[test]
fn every_module_has_a_layer_and_names_none_above_it() {
    let graph = graph();
    let mut wrong = Vec::new();
    for module in graph.files.keys().filter(|m| *m != "crate") {
        if layer(module).is_none() {
            wrong.push(format!(
                "{module} has no layer: add its area to LAYERS (and to ARCHITECTURE.md)"
            ));
        }
    }
    for (from, targets) in &graph.edges {
        let Some(from_layer) = layer(from) else {
            continue;
        };
        for (to, at) in targets {
            let Some(to_layer) = layer(to) else { continue };
            if to_layer > from_layer {
                wrong.push(format!(
                    "{from} ({}) names {to} ({}), a layer above it: {}",
                    LAYERS[from_layer].0,
                    LAYERS[to_layer].0,
                    places(at)
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

#[test]
fn charts_never_name_state_and_components_never_its_store() {
    let graph = graph();
    let mut wrong = Vec::new();
    for (from, targets) in &graph.edges {
        let charts = from == "ui::charts" || from.starts_with("ui::charts::");
        let components = from == "ui::components" || from.starts_with("ui::components::");
        for (to, at) in targets.iter().filter(|(to, _)| *to == "ui::state") {
            if charts {
                wrong.push(format!(
                    "{from} names ui::state: a chart takes its figures as props ({})",
                    places(at)
                ));
            }
            if components {
                for place in at {
                    if place.item.as_deref().is_some_and(|i| STORE.contains(&i)) {
                        wrong.push(format!(
                            "{from} names {to}::{}: a component takes props and sends callbacks ({}:{})",
                            place.item.as_deref().unwrap_or(""),
                            place.file,
                            place.line
                        ));
                    }
                }
            }
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

/// This check is only as good as its reading of paths: it must see the edges it is meant
/// to see, in every form the sources use.
#[test]
fn the_reading_of_paths_finds_each_form_of_edge() {
    let graph = graph();
    let has = |from: &str, to: &str| {
        graph
            .edges
            .get(from)
            .is_some_and(|targets| targets.contains_key(to))
    };
    // `mod x;` declarations, and paths from the crate root.
    assert!(has("crate", "ui"));
    assert!(has("ui", "ui::state"));
    assert!(graph.modules.contains_key("ui::charts::frame"));
    // `use crate::…` with a group, and a glob.
    let mut named = Vec::new();
    let tokens: TokenStream = "use crate::ui::{state::{use_store, Action}, files}; use super::*; \
         fn f() { html! { <crate::ui::views::public::PublicView /> } } \
         mod inner { use super::super::super::charts::Charts; }"
        .parse()
        .unwrap();
    paths(tokens, "ui::views::compare", &mut named);
    let resolved: Vec<(Module, Option<String>)> = named
        .iter()
        .filter_map(|(m, p)| resolve(m, &p.segments, &graph.modules))
        .collect();
    for expected in [
        ("ui::state", Some("use_store")),
        ("ui::state", Some("Action")),
        ("ui::files", None),
        ("ui::views", Some("*")),
        ("ui::views::public", Some("PublicView")),
        ("ui::charts", Some("Charts")),
    ] {
        assert!(
            resolved
                .iter()
                .any(|(m, i)| m == expected.0 && i.as_deref() == expected.1),
            "{expected:?} not in {resolved:?}"
        );
    }
}

/// `cargo test --test ui_layers -- --nocapture` prints the UI's areas and which way
/// they depend on each other (for ARCHITECTURE.md and reviews).
#[test]
fn print_the_ui_areas() {
    for (from, to) in area_edges(&graph()) {
        if from.starts_with("ui") {
            let to: Vec<&str> = to.keys().map(String::as_str).collect();
            println!("{from} -> {}", to.join(", "));
        }
    }
}
