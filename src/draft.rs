//! The scenario a person is editing, with undo and redo.
//!
//! The draft is kept as JSON, exactly as typed: a field holding "12a" holds the string
//! "12a" until it is fixed, so nothing typed is lost on reload. Every change goes through
//! the engine's one door (`scenario::decode_value`): validated once, with every problem,
//! type errors included, each at its field; while the draft has problems, the results
//! stay those of the **last valid scenario**.
//!
//! Plain Rust with no web dependency, so it is tested natively; `ui::state` wraps it
//! in a Yew reducer.

use onebudget_engine::scenario::{self, Results, Scenario, ValidScenario};
use onebudget_engine::validation::Problem;
use serde_json::Value;
use std::rc::Rc;

/// How many steps back undo can go (and how many are kept in storage).
pub const UNDO_LIMIT: usize = 50;

/// One change to the draft, addressed by JSON pointer (`/places/0/name`).
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Set a field (or add it, if its parent object exists).
    Set { pointer: String, value: Value },
    /// Insert into an array.
    Insert {
        pointer: String,
        index: usize,
        value: Value,
    },
    /// Remove from an array.
    Remove { pointer: String, index: usize },
    /// Remove a field from an object (an optional section switched off).
    Unset { pointer: String },
    /// Several edits as one step (adding an age band adds it to every place too).
    /// All or nothing: if one fails, none is applied.
    Batch(Vec<Edit>),
}

/// Why an edit could not be applied (a bug in the editor, not the user's mistake).
#[derive(Clone, Debug, PartialEq)]
pub struct EditError(pub String);

#[derive(Clone, Debug)]
pub struct Draft {
    value: Value,
    problems: Vec<Problem>,
    scenario: Rc<ValidScenario>,
    results: Rc<Results>,
    undo: Vec<Value>,
    redo: Vec<Value>,
    /// The pointer of the last `Set`: keystrokes in one field make one undo step.
    typing_in: Option<String>,
}

impl PartialEq for Draft {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
            && self.undo.len() == other.undo.len()
            && self.redo.len() == other.redo.len()
    }
}

impl Draft {
    /// Start from a scenario made in code (a built-in): `None` if it is not valid or does
    /// not compute.
    pub fn new(scenario: Scenario) -> Option<Draft> {
        Draft::from_valid(ValidScenario::new(scenario).ok()?)
    }

    /// Start from a scenario that came through the door (a file, a link): `None` if it
    /// does not compute.
    pub fn from_valid(scenario: ValidScenario) -> Option<Draft> {
        let results = scenario.compute().ok()?;
        Some(Draft {
            value: serde_json::to_value(&scenario).ok()?,
            problems: Vec::new(),
            scenario: Rc::new(scenario),
            results: Rc::new(results),
            undo: Vec::new(),
            redo: Vec::new(),
            typing_in: None,
        })
    }

    /// Restore saved work: the draft as it was typed and its undo history. The last valid
    /// scenario is the draft itself if it is valid, else the newest valid step in its
    /// history, else `fallback`.
    pub fn restore(value: Value, mut undo: Vec<Value>, fallback: Draft) -> Draft {
        undo.truncate(UNDO_LIMIT);
        let mut draft = fallback;
        for candidate in undo.iter().chain(std::iter::once(&value)) {
            if let Some((s, r)) = valid(candidate) {
                draft.scenario = Rc::new(s);
                draft.results = Rc::new(r);
            }
        }
        draft.value = value;
        draft.undo = undo;
        draft.redo.clear();
        draft.typing_in = None;
        draft.revalidate();
        draft
    }

    /// The draft as typed.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// Problems with the draft (empty when it is valid).
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// Problems whose path is `path` or lies inside it (`places[0]` covers `places[0].name`).
    pub fn problems_at<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a Problem> + 'a {
        self.problems.iter().filter(move |p| {
            p.path == path
                || (p.path.starts_with(path)
                    && matches!(p.path.as_bytes().get(path.len()), Some(b'.') | Some(b'[')))
        })
    }

    /// The last valid scenario and its results: what the page shows.
    pub fn scenario(&self) -> &Rc<ValidScenario> {
        &self.scenario
    }

    pub fn results(&self) -> &Rc<Results> {
        &self.results
    }

    /// True when the results shown are not the draft's (it has problems).
    pub fn is_stale(&self) -> bool {
        !self.problems.is_empty()
    }

    pub fn undo_history(&self) -> &[Value] {
        &self.undo
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Apply one edit. Successive `Set`s of the same field are one undo step.
    pub fn edit(&mut self, edit: Edit) -> Result<(), EditError> {
        let mut next = self.value.clone();
        apply(&mut next, &edit)?;
        if next == self.value {
            return Ok(());
        }
        let same_field = matches!(&edit, Edit::Set { pointer, .. } if self.typing_in.as_deref() == Some(pointer));
        if !same_field {
            self.push_undo();
        }
        self.typing_in = match edit {
            Edit::Set { pointer, .. } => Some(pointer),
            _ => None,
        };
        self.redo.clear();
        self.value = next;
        self.revalidate();
        Ok(())
    }

    /// Replace the whole draft (a built-in, an import, a link); one undo step brings
    /// the previous work back.
    pub fn load(&mut self, value: Value) {
        if value == self.value {
            return;
        }
        self.push_undo();
        self.redo.clear();
        self.typing_in = None;
        self.value = value;
        self.revalidate();
    }

    pub fn undo(&mut self) -> bool {
        match self.undo.pop() {
            Some(previous) => {
                let current = std::mem::replace(&mut self.value, previous);
                self.redo.push(current);
                self.typing_in = None;
                self.revalidate();
                true
            }
            None => false,
        }
    }

    pub fn redo(&mut self) -> bool {
        match self.redo.pop() {
            Some(next) => {
                let current = std::mem::replace(&mut self.value, next);
                self.undo.push(current);
                self.typing_in = None;
                self.revalidate();
                true
            }
            None => false,
        }
    }

    fn push_undo(&mut self) {
        self.undo.push(self.value.clone());
        if self.undo.len() > UNDO_LIMIT {
            self.undo.remove(0);
        }
    }

    /// Through the door (one validation pass), then computed if valid.
    fn revalidate(&mut self) {
        match scenario::decode_value(self.value.clone()) {
            Ok(s) => match s.compute() {
                Ok(r) => {
                    self.problems.clear();
                    self.scenario = Rc::new(s);
                    self.results = Rc::new(r);
                }
                Err(e) => self.problems = vec![e.problem()],
            },
            Err(problems) => self.problems = problems,
        }
    }
}

fn valid(value: &Value) -> Option<(ValidScenario, Results)> {
    let s = scenario::decode_value(value.clone()).ok()?;
    let r = s.compute().ok()?;
    Some((s, r))
}

/// `places[0].population[1].people` → `/places/0/population/1/people`.
pub fn pointer_of(path: &str) -> String {
    let mut out = String::new();
    for segment in path.split('.') {
        let mut rest = segment;
        if let Some(i) = rest.find('[') {
            push_token(&mut out, &rest[..i]);
            rest = &rest[i..];
            while let Some(stripped) = rest.strip_prefix('[') {
                let end = stripped.find(']').unwrap_or(stripped.len());
                push_token(&mut out, &stripped[..end]);
                rest = stripped.get(end + 1..).unwrap_or("");
            }
        } else {
            push_token(&mut out, rest);
        }
    }
    out
}

fn push_token(out: &mut String, token: &str) {
    if token.is_empty() {
        return;
    }
    out.push('/');
    out.push_str(&token.replace('~', "~0").replace('/', "~1"));
}

/// `/places/0/population/1/people` → `places[0].population[1].people`.
pub fn path_of(pointer: &str) -> String {
    let mut out = String::new();
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        if token.chars().all(|c| c.is_ascii_digit()) && !token.is_empty() {
            out.push_str(&format!("[{token}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&token);
        }
    }
    out
}

fn apply(root: &mut Value, edit: &Edit) -> Result<(), EditError> {
    match edit {
        Edit::Batch(edits) => {
            // `edit` applies to a clone, so a failure part-way leaves the draft untouched.
            for e in edits {
                apply(root, e)?;
            }
        }
        Edit::Insert {
            pointer,
            index,
            value,
        } => {
            let items = array_at(root, pointer)?;
            if *index > items.len() {
                return Err(EditError(format!(
                    "index {index} out of range at {pointer}"
                )));
            }
            items.insert(*index, value.clone());
        }
        Edit::Remove { pointer, index } => {
            let items = array_at(root, pointer)?;
            if *index >= items.len() {
                return Err(EditError(format!(
                    "index {index} out of range at {pointer}"
                )));
            }
            items.remove(*index);
        }
        Edit::Set { pointer, value } => {
            let (parent, key) = split_pointer(pointer)?;
            match root.pointer_mut(&parent) {
                Some(Value::Object(map)) => {
                    map.insert(key, value.clone());
                }
                Some(Value::Array(items)) => {
                    let slot = key
                        .parse::<usize>()
                        .ok()
                        .and_then(|i| items.get_mut(i))
                        .ok_or_else(|| EditError(format!("no item {key} at {parent}")))?;
                    *slot = value.clone();
                }
                _ => return Err(EditError(format!("no object or array at {parent}"))),
            }
        }
        Edit::Unset { pointer } => {
            let (parent, key) = split_pointer(pointer)?;
            match root.pointer_mut(&parent) {
                Some(Value::Object(map)) => {
                    map.remove(&key);
                }
                _ => return Err(EditError(format!("no object at {parent}"))),
            }
        }
    }
    Ok(())
}

fn array_at<'a>(root: &'a mut Value, pointer: &str) -> Result<&'a mut Vec<Value>, EditError> {
    match root.pointer_mut(pointer) {
        Some(Value::Array(items)) => Ok(items),
        _ => Err(EditError(format!("no array at {pointer}"))),
    }
}

/// `/a/b/c` → (`/a/b`, `c`), unescaping the last token.
fn split_pointer(pointer: &str) -> Result<(String, String), EditError> {
    let i = pointer
        .rfind('/')
        .ok_or_else(|| EditError(format!("not a JSON pointer: {pointer}")))?;
    let key = pointer[i + 1..].replace("~1", "/").replace("~0", "~");
    Ok((pointer[..i].to_string(), key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use onebudget_engine::examples;
    use serde_json::json;

    fn anytown() -> Draft {
        Draft::new(examples::default_scenario()).unwrap()
    }

    fn set(pointer: &str, value: Value) -> Edit {
        Edit::Set {
            pointer: pointer.into(),
            value,
        }
    }

    #[test]
    fn a_keystroke_validates_the_scenario_once() {
        use onebudget_engine::validation::passes;
        for example in examples::ALL {
            let mut d = Draft::new(example.scenario().unwrap().into_scenario()).unwrap();
            for (pointer, value, valid) in [
                ("/name", json!("Typed"), true),
                ("/budget/uplift", json!(0.9), false),
                ("/budget/uplift", json!("3%x"), false),
                ("/budget/uplift", json!(0.01), true),
            ] {
                let before = passes();
                d.edit(set(pointer, value)).unwrap();
                assert_eq!(d.is_stale(), !valid, "{}: {pointer}", example.name);
                assert_eq!(passes() - before, 1, "{}: {pointer}", example.name);
            }
        }
    }

    #[test]
    fn a_file_with_mistakes_of_every_kind_is_kept_as_typed_with_each_problem_at_its_field() {
        let mut d = anytown();
        let before = d.results().clone();
        let mut file = d.value().clone();
        file["places"][0]["population"][0]["people"] = json!(-500);
        file["budget"]["uplift"] = json!("3%");
        file["places"][0]["need_index"] = json!(7);
        file["places"][0]["colour"] = json!("blue");
        d.load(file.clone());
        assert_eq!(d.value(), &file);
        assert_eq!(d.results(), &before);
        for path in [
            "places[0].population[0].people",
            "budget.uplift",
            "places[0].need_index",
            "places[0].colour",
        ] {
            assert_eq!(d.problems_at(path).count(), 1, "{path}: {:?}", d.problems());
        }
        assert_eq!(d.problems().len(), 4, "{:?}", d.problems());
        assert!(d
            .problems()
            .iter()
            .all(|p| !p.message.contains("expected") && !p.message.contains("u64")));
    }

    #[test]
    fn paths_and_pointers_convert_both_ways() {
        let cases = [
            (
                "places[0].population[1].people",
                "/places/0/population/1/people",
            ),
            ("budget.service_lines[3]", "/budget/service_lines/3"),
            ("name", "/name"),
        ];
        for (path, pointer) in cases {
            assert_eq!(pointer_of(path), pointer);
            assert_eq!(path_of(pointer), path);
        }
    }

    #[test]
    fn a_valid_edit_changes_the_results() {
        let mut d = anytown();
        let before = d.results().totals[0].budget;
        d.edit(set("/budget/rate_per_weighted_head", json!(346_400)))
            .unwrap();
        assert!(!d.is_stale());
        assert_eq!(d.results().totals[0].budget.pence(), 2 * before.pence());
    }

    #[test]
    fn an_invalid_edit_keeps_the_last_valid_results_and_names_the_field() {
        let mut d = anytown();
        let before = d.results().clone();
        d.edit(set("/places/0/population/0/growth", json!(0.9)))
            .unwrap();
        assert!(d.is_stale());
        assert_eq!(d.results(), &before);
        assert_eq!(d.problems_at("places[0]").count(), 1);
        assert_eq!(d.problems_at("places[0].population[0].growth").count(), 1);
        assert_eq!(d.problems_at("places[0].population[0].gro").count(), 0);
        // What was typed is kept, even when it is not a number.
        d.edit(set("/places/0/name", json!(""))).unwrap();
        d.edit(set("/budget/uplift", json!("3%x"))).unwrap();
        assert_eq!(d.value()["budget"]["uplift"], json!("3%x"));
        assert_eq!(d.results(), &before);
    }

    #[test]
    fn typing_in_one_field_is_one_undo_step_and_redo_brings_it_back() {
        let mut d = anytown();
        let original = d.value().clone();
        for text in ["A", "An", "Any"] {
            d.edit(set("/name", json!(text))).unwrap();
        }
        d.edit(set("/first_year", json!(2026))).unwrap();
        assert_eq!(d.undo_history().len(), 2);
        assert!(d.undo());
        assert_eq!(d.value()["name"], json!("Any"));
        assert!(d.undo());
        assert_eq!(d.value(), &original);
        assert!(!d.undo());
        assert!(d.redo());
        assert!(d.redo());
        assert_eq!(d.value()["first_year"], json!(2026));
        assert!(!d.redo());
        // A new edit after undo drops the redo history.
        d.undo();
        d.edit(set("/first_year", json!(2027))).unwrap();
        assert!(!d.can_redo());
    }

    #[test]
    fn lists_grow_and_shrink_and_sections_switch_off() {
        let mut d = anytown();
        let lines = d.value()["budget"]["service_lines"]
            .as_array()
            .unwrap()
            .len();
        d.edit(Edit::Remove {
            pointer: "/budget/service_lines".into(),
            index: 0,
        })
        .unwrap();
        assert_eq!(
            d.value()["budget"]["service_lines"]
                .as_array()
                .unwrap()
                .len(),
            lines - 1
        );
        // Shares no longer add to 1: a problem, results unchanged.
        assert!(d.is_stale());
        d.edit(Edit::Insert {
            pointer: "/budget/service_lines".into(),
            index: 0,
            value: json!({"name": "Acute hospital care", "share": 0.45}),
        })
        .unwrap();
        assert!(!d.is_stale());
        d.edit(Edit::Unset {
            pointer: "/risk_share".into(),
        })
        .unwrap();
        assert!(d.results().risk_share.is_none());
        assert!(d
            .edit(Edit::Remove {
                pointer: "/budget/service_lines".into(),
                index: 99
            })
            .is_err());
        assert!(d.edit(set("/nope/deeper", json!(1))).is_err());
        // A batch is one undo step, and all or nothing.
        let before = d.value().clone();
        let steps = d.undo_history().len();
        d.edit(Edit::Batch(vec![
            set("/name", json!("Batch")),
            set("/first_year", json!(2030)),
        ]))
        .unwrap();
        assert_eq!(d.undo_history().len(), steps + 1);
        let after = d.value().clone();
        assert!(d
            .edit(Edit::Batch(vec![
                set("/name", json!("Half")),
                set("/no/such", json!(1))
            ]))
            .is_err());
        assert_eq!(d.value(), &after);
        d.undo();
        assert_eq!(d.value(), &before);
    }

    #[test]
    fn loading_replaces_the_draft_and_undo_brings_the_work_back() {
        let mut d = anytown();
        d.edit(set("/name", json!("My work"))).unwrap();
        let mine = d.value().clone();
        let other = examples::find("cquin").unwrap().scenario().unwrap();
        d.load(serde_json::to_value(&other).unwrap());
        assert_eq!(d.scenario().name, other.name);
        d.undo();
        assert_eq!(d.value(), &mine);
    }

    #[test]
    fn restoring_saved_work_keeps_what_was_typed_and_the_newest_valid_results() {
        let mut d = anytown();
        d.edit(set("/name", json!("Saved town"))).unwrap();
        d.edit(set("/budget/uplift", json!("oops"))).unwrap();
        let restored = Draft::restore(d.value().clone(), d.undo_history().to_vec(), anytown());
        assert_eq!(restored.value()["budget"]["uplift"], json!("oops"));
        assert!(restored.is_stale());
        assert_eq!(restored.scenario().name, "Saved town");
        // Garbage in storage falls back to the default, with the problem reported.
        let garbage = Draft::restore(json!({"schema_version": 99}), vec![], anytown());
        assert!(garbage.is_stale());
        assert_eq!(garbage.scenario().name, examples::default_scenario().name);
    }
}
