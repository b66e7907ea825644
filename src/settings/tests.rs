use super::*;

fn position(key: &str) -> usize {
    SETTINGS.iter().position(|s| s.key == key).unwrap()
}

#[test]
fn every_default_reads_cleanly_and_keys_are_unique() {
    for (i, setting) in SETTINGS.iter().enumerate() {
        let (_, problem) = setting.read(setting.default);
        assert_eq!(problem, None, "{}", setting.key);
        assert!(
            SETTINGS[i + 1..].iter().all(|s| s.key != setting.key),
            "{} twice",
            setting.key
        );
        if let Some(flag) = setting.cli {
            assert!(
                SETTINGS[i + 1..].iter().all(|s| s.cli != Some(flag)),
                "--{flag} twice"
            );
        }
    }
}

#[test]
fn settings_that_depend_on_others_come_after_them() {
    assert!(position("seed") < position("scene_seed"));
    assert!(position("demo") < position("scene_seed"));
    assert!(position("layers") < position("dil"));
    assert!(position("opt") < position("lr"));
    assert!(position("opt") < position("momentum"));
}

#[test]
fn the_default_experiment_reads_back_its_defaults() {
    let experiment = Experiment::default();
    for setting in SETTINGS {
        if let Access::Experiment { get, .. } = setting.access {
            if let Some(value) = get(&experiment) {
                assert_eq!(value, setting.default, "{}", setting.key);
            }
        }
    }
}

#[test]
fn numbers_are_clamped_rounded_or_replaced_with_a_reason() {
    let read = |setting: &Setting, text: &str| setting.read(text);
    assert_eq!(read(&STEPS, "250"), (Value::Int(250), None));
    assert_eq!(
        read(&STEPS, "-5"),
        (
            Value::Int(1),
            Some("steps -5 is out of range: use 1 to 100000".into())
        )
    );
    assert_eq!(
        read(&STEPS, "12.4"),
        (
            Value::Int(12),
            Some("steps must be a whole number, not \"12.4\"".into())
        )
    );
    assert_eq!(read(&PATCH, "0"), (Value::Int(0), None));
    assert_eq!(read(&LR, "1e-3"), (Value::Float(1e-3), None));
    assert_eq!(
        read(&LR, "inf"),
        (
            Value::Float(0.005),
            Some("learning rate must be a number, not \"inf\"".into())
        )
    );
    assert_eq!(read(&AUGMENT, "true"), (Value::Bool(true), None));
    assert_eq!(read(&KERNEL, "5"), (Value::Text("5".into()), None));
    assert_eq!(read(&KERNEL, "5").0.int(), 5);
}

#[test]
fn parse_refuses_what_read_would_repair() {
    assert_eq!(
        STEPS.parse("-5").unwrap_err().0,
        "steps -5 is out of range: use 1 to 100000"
    );
    assert_eq!(
        STEPS.parse("0").unwrap_err().0,
        "steps 0 is out of range: use 1 to 100000"
    );
    assert_eq!(STEPS.parse(" 300 ").unwrap(), Value::Int(300));
    assert!(
        HEAD.parse("octopus")
            .unwrap_err()
            .0
            .contains("sigmoid or softmax")
    );
}

#[test]
fn quoted_user_text_is_short() {
    let long = "é".repeat(10_000);
    let message = STEPS.parse(&long).unwrap_err().0;
    assert!(message.chars().count() < 80, "{message}");
    assert_eq!(quote("abc"), "\"abc\"");
    assert_eq!(quote(&"x".repeat(41)), format!("\"{}…\"", "x".repeat(40)));
}

#[test]
fn or_lists_read_as_english() {
    assert_eq!(or_list(&["a"]), "a");
    assert_eq!(or_list(&["a", "b", "c"]), "a, b or c");
}
