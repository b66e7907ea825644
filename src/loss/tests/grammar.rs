//! The spec grammar: canonical form, round trips and the messages of refused specs.

use crate::error::Result;
use crate::loss::LossSpec;

fn parse(text: &str) -> Result<LossSpec> {
    text.parse()
}

#[test]
fn canonical_form_omits_defaults_and_round_trips() {
    let cases = [
        ("bce", "bce"),
        (" bce ( ) ", "bce"),
        ("focal(gamma=2)", "focal"),
        (
            "focal(gamma=0.5, alpha=0.25)",
            "focal(gamma=0.5,alpha=0.25)",
        ),
        ("0.5*bce+0.5*dice", "0.5*bce+0.5*dice"),
        (
            "1*dice(smooth=1e-5,per_image=false)",
            "dice(per_image=false)",
        ),
        ("dice(smooth=0.00000001)", "dice(smooth=1e-8)"),
        ("ce(weights=manual,w_fg=9)", "ce(weights=manual,w_fg=9)"),
        (
            "ce(weights=inverse_frequency,scope=image)",
            "ce(weights=inverse_frequency,scope=image)",
        ),
        (
            "wbce(weights=unet_border,w0=5)",
            "wbce(weights=unet_border,w0=5)",
        ),
        ("focal_tversky(alpha=0.7)", "focal_tversky"),
        (
            "tversky(alpha=0.7,beta=0.3,gamma=0.75)",
            "tversky(alpha=0.7,beta=0.3,gamma=0.75)",
        ),
        (
            "2.5e-1*mse + lovasz(per_image=false)",
            "0.25*mse+lovasz(per_image=false)",
        ),
    ];
    for (input, canonical) in cases {
        let spec = parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(spec.to_string(), canonical, "{input}");
        assert_eq!(parse(canonical).unwrap(), spec, "{canonical}");
    }
}

/// A message quotes the offending name, key or value if there is one, else the spec: never both.
#[test]
fn errors_name_the_offending_token_and_the_choices() {
    let cases = [
        ("", "bad loss spec \"\": expected a loss name at the end"),
        (
            "foo",
            "bad loss spec: unknown loss \"foo\"; expected one of bce, wbce, ce",
        ),
        (
            "foo(bar)",
            "bad loss spec: unknown loss \"foo\"; expected one of bce, wbce, ce",
        ),
        (
            "dice(smooth=-1)",
            "bad loss spec: dice: smooth=-1 is not allowed; expected a number in [0, 1000]",
        ),
        (
            "dice(smooth=nan)",
            "bad loss spec: dice: smooth=nan is not allowed",
        ),
        (
            "focal(gamma=abc)",
            "bad loss spec: focal: gamma=abc is not allowed; expected a number in [0, 10]",
        ),
        (
            "focal(alpha=2)",
            "bad loss spec: focal: alpha=2 is not allowed; expected a number in [0, 1] or none",
        ),
        (
            "dice(per_image=yes)",
            "bad loss spec: dice: per_image=yes is not allowed; expected true or false",
        ),
        (
            "dice(classes=all)",
            "bad loss spec: dice: classes=all is not allowed; expected one of fg, bg, both",
        ),
        (
            "dice(foo=1)",
            "bad loss spec: dice: unknown parameter \"foo\"; expected one of smooth, per_image, squared, log, classes",
        ),
        (
            "ce(foo=1)",
            "bad loss spec: ce: unknown parameter \"foo\"; expected one of weights, w_bg, w_fg, scope",
        ),
        (
            "mse(x=1)",
            "bad loss spec: mse: takes no parameters, got \"x\"",
        ),
        (
            "dice(smooth=1,smooth=2)",
            "bad loss spec: dice: parameter \"smooth\" is given twice",
        ),
        (
            "bce+",
            "bad loss spec \"bce+\": expected a loss name at the end",
        ),
        (
            "0.5 bce",
            "bad loss spec: expected '*' after the coefficient \"0.5 bce\"",
        ),
        (
            "-1*bce",
            "bad loss spec \"-1*bce\": expected a loss name at position 0, found '-'",
        ),
        (
            "0*bce",
            "bad loss spec: coefficient \"0\" must be a number in (0, 1e6]",
        ),
        (
            "bce(pos_weight=0)",
            "bad loss spec: bce: pos_weight=0 is not allowed; expected a number in (0, 1e6]",
        ),
        (
            "dice(smooth)",
            "bad loss spec: dice: expected key=value, found \"smooth\"",
        ),
        (
            "dice(smooth=1",
            "bad loss spec \"dice(smooth=1\": dice: missing ')'",
        ),
        (
            "bce)",
            "bad loss spec \"bce)\": unexpected ')' at position 3; terms are joined with '+'",
        ),
        (
            "ce(w_fg=2)",
            "bad loss spec: ce: w_fg applies only with weights=manual",
        ),
        (
            "wbce(sigma=2)",
            "bad loss spec: wbce: sigma applies only with weights=unet_border",
        ),
        (
            "ce(weights=manual,scope=image)",
            "bad loss spec: ce: scope applies only with weights=inverse_frequency or median_frequency",
        ),
    ];
    for (input, expected) in cases {
        let message = parse(input).unwrap_err().0;
        assert!(message.starts_with(expected), "{input}: got {message}");
    }
}

/// Issue 15: a 10,000-character spec was echoed whole, twice when the offending token was most
/// of it (a long name, coefficient, key or value), and once more by `segloss run`.
#[test]
fn long_user_text_is_cut_to_40_characters_and_quoted_once() {
    let long = |c: &str| c.repeat(10_000);
    let cases = [
        // The token is the whole spec: these were echoed twice.
        (long("x"), format!("unknown loss \"{}…\"", "x".repeat(40))),
        (
            long("1"),
            format!("expected '*' after the coefficient \"{}…\"", "1".repeat(40)),
        ),
        (
            format!("{}*bce", long("9")),
            format!("coefficient \"{}…\" must be", "9".repeat(40)),
        ),
        (
            format!("dice(smooth={})", long("9")),
            format!("dice: smooth={}… is not allowed", "9".repeat(40)),
        ),
        (
            format!("dice(per_image={})", long("t")),
            format!("dice: per_image={}… is not allowed", "t".repeat(40)),
        ),
        (
            format!("dice(classes={})", long("f")),
            format!("dice: classes={}… is not allowed", "f".repeat(40)),
        ),
        (
            format!("focal(alpha={})", long("5")),
            format!("focal: alpha={}… is not allowed", "5".repeat(40)),
        ),
        (
            format!("dice({}=1)", long("k")),
            format!("dice: unknown parameter \"{}…\"", "k".repeat(40)),
        ),
        (
            format!("dice({})", long("k")),
            format!("dice: expected key=value, found \"{}…\"", "k".repeat(40)),
        ),
        (
            format!("mse({}=1)", long("k")),
            format!("mse: takes no parameters, got \"{}…\"", "k".repeat(40)),
        ),
        (
            format!("dice({k}=1,{k}=2)", k = long("k")),
            format!("dice: parameter \"{}…\" is given twice", "k".repeat(40)),
        ),
        // Nested combinations: the bad term is named by its token, the spec is not repeated.
        (
            format!("{}dice(smooth=-1)", long("0.5*bce+")),
            "dice: smooth=-1 is not allowed".to_string(),
        ),
        (
            format!("{}0.5*nope", long("bce+")),
            "unknown loss \"nope\"".to_string(),
        ),
        // Structural errors quote the start of the spec.
        (
            long("bce+"),
            format!(
                "\"{}…\": expected a loss name at the end",
                "bce+".repeat(10)
            ),
        ),
        (
            format!("bce{}", long(")")),
            format!("\"bce{}…\": unexpected ')' at position 3", ")".repeat(37)),
        ),
        (
            format!("dice(smooth=1{}", long(" ")),
            "\": dice: missing ')'".to_string(),
        ),
    ];
    for (input, expected) in &cases {
        let message = parse(input).unwrap_err().0;
        assert!(message.len() < 300, "{} bytes: {message}", message.len());
        assert!(message.contains(expected.as_str()), "got {message}");
        let quoted = message.matches('…').count();
        assert!(quoted <= 1, "quoted {quoted} times: {message}");
    }
}
