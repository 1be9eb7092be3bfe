"""The engine's words as the window shows them, in the interface language.

``nn_core`` never imports Qt, so its texts (a method's title and cost, a range's rule, a refusal) are English.
The window shows them through this module: each text the engine declares is listed below with
``QT_TRANSLATE_NOOP("nn_core", ...)`` so ``pyside6-lupdate`` puts it in the catalogue, and ``text()`` looks it up
when shown (a text not listed shows as the engine wrote it; tests/test_app_i18n.py checks every registry entry is
listed).  Range rules and refusals are rebuilt here as whole sentences, in English exactly as ``nn_core.ranges``
words them.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from nn_core.config import HIDDEN, MAX_LAYERS, format_number
from nn_core.ranges import Range

CONTEXT = "nn_core"

# Every text of the engine the window shows: range names, and the registries' titles, costs, book references
# and option help.  Formulas (equations, rules) are mathematics and stay as they are.
ENGINE_TEXTS = (
    # Range names (nn_core/config.py, the optimizers' options; the window's own "steps to add").
    QT_TRANSLATE_NOOP("nn_core", "hidden units"),
    QT_TRANSLATE_NOOP("nn_core", "learning rate"),
    QT_TRANSLATE_NOOP("nn_core", "h"),
    QT_TRANSLATE_NOOP("nn_core", "seed"),
    QT_TRANSLATE_NOOP("nn_core", "iterations"),
    QT_TRANSLATE_NOOP("nn_core", "surface redraw interval (every N steps)"),
    QT_TRANSLATE_NOOP("nn_core", "weight decay"),
    QT_TRANSLATE_NOOP("nn_core", "steps to add"),
    QT_TRANSLATE_NOOP("nn_core", "momentum"),
    QT_TRANSLATE_NOOP("nn_core", "decay_rate"),
    QT_TRANSLATE_NOOP("nn_core", "beta1"),
    QT_TRANSLATE_NOOP("nn_core", "beta2"),
    # nn_core/methods.py: titles and costs.
    QT_TRANSLATE_NOOP("nn_core", "Central difference"),
    QT_TRANSLATE_NOOP("nn_core", "Forward difference"),
    QT_TRANSLATE_NOOP("nn_core", "Staged forward difference"),
    QT_TRANSLATE_NOOP("nn_core", "Vectorized central difference"),
    QT_TRANSLATE_NOOP("nn_core", "Backpropagation"),
    QT_TRANSLATE_NOOP("nn_core", "2P loss evaluations a step"),
    QT_TRANSLATE_NOOP("nn_core", "P + 1 loss evaluations a step"),
    QT_TRANSLATE_NOOP("nn_core", "P + 1 loss evaluations a step, fewer layer evaluations"),
    QT_TRANSLATE_NOOP("nn_core", "2P loss evaluations a step, in one batched pass"),
    QT_TRANSLATE_NOOP("nn_core", "1 forward + 1 backward pass a step"),
    # The methods' equations carry a few words.
    QT_TRANSLATE_NOOP("nn_core", "dL/dp ≈ (L(p+h) − L(p)) / h, recomputing only layers k.. for p in layer k   [IX-5]"),
    QT_TRANSLATE_NOOP("nn_core", "dL/dp ≈ (L(p+h) − L(p−h)) / 2h for all p at once   [IX-3]"),
    QT_TRANSLATE_NOOP("nn_core", "δ_L = y − t;  dL/dW_k = Z_{k−1}ᵀ δ_k;  δ_{k−1} = δ_k W_kᵀ ⊙ f′   (book ch. 5)"),
    # nn_core/activations.py
    QT_TRANSLATE_NOOP("nn_core", "Sigmoid"),
    QT_TRANSLATE_NOOP("nn_core", "Hyperbolic tangent"),
    QT_TRANSLATE_NOOP("nn_core", "ReLU"),
    QT_TRANSLATE_NOOP("nn_core", "the book's Sigmoid layer (common/layers.py; sigmoid in common/functions.py)"),
    QT_TRANSLATE_NOOP("nn_core", "the book's tanh (ch06/weight_init_activation_histogram.py)"),
    QT_TRANSLATE_NOOP("nn_core", "the book's Relu layer (common/layers.py)"),
    QT_TRANSLATE_NOOP("nn_core", "relu′ = 1 if a > 0 else 0"),
    # nn_core/initializers.py
    QT_TRANSLATE_NOOP("nn_core", "Xavier (the book's)"),
    QT_TRANSLATE_NOOP("nn_core", "He"),
    QT_TRANSLATE_NOOP("nn_core", "Std 0.01 (the book's weight_init_std)"),
    QT_TRANSLATE_NOOP("nn_core", "the book's weight_init_std='xavier' (or 'sigmoid') in common/multi_layer_net.py"),
    QT_TRANSLATE_NOOP("nn_core", "the book's weight_init_std='he' (or 'relu') in common/multi_layer_net.py"),
    QT_TRANSLATE_NOOP("nn_core", "the book's weight_init_std=0.01 in common/multi_layer_net.py"),
    # nn_core/optimizers.py: titles and the options' help.
    QT_TRANSLATE_NOOP("nn_core", "SGD"),
    QT_TRANSLATE_NOOP("nn_core", "Momentum"),
    QT_TRANSLATE_NOOP("nn_core", "Nesterov's accelerated gradient"),
    QT_TRANSLATE_NOOP("nn_core", "AdaGrad"),
    QT_TRANSLATE_NOOP("nn_core", "RMSprop"),
    QT_TRANSLATE_NOOP("nn_core", "Adam"),
    QT_TRANSLATE_NOOP("nn_core", "momentum α: the share of the last step kept"),
    QT_TRANSLATE_NOOP("nn_core", "ρ: how slowly RMSprop forgets past squared gradients"),
    QT_TRANSLATE_NOOP("nn_core", "Adam's β1: decay of the gradient's running mean"),
    QT_TRANSLATE_NOOP("nn_core", "Adam's β2: decay of the squared gradient's running mean"),
    # nn_core/engines.py
    QT_TRANSLATE_NOOP("nn_core", "numpy: the readable code, one numpy call per layer"),
    QT_TRANSLATE_NOOP("nn_core", "compiled: the same steps as numba loops, many steps per call (needs numba)"),
    QT_TRANSLATE_NOOP("nn_core", "the compiled engine needs numba: pip install 'gatelab[compiled]'"),
)


def text(engine_text: str) -> str:
    """``engine_text`` (one of ENGINE_TEXTS) in the interface language; any other text as it is."""
    return QCoreApplication.translate(CONTEXT, engine_text) if engine_text else engine_text


def equation(engine_equation: str) -> str:
    """A method's or activation's formula: only those with words in them are listed; the rest stay as written."""
    if engine_equation in ENGINE_TEXTS:
        return text(engine_equation)
    if "relu′ = 1 if a > 0 else 0" in engine_equation:  # "max(a, 0);  relu′ = ..."
        head, _, tail = engine_equation.partition("relu′ = 1 if a > 0 else 0")
        return head + text("relu′ = 1 if a > 0 else 0") + tail
    return engine_equation


def describe(setting: Range) -> str:
    """``Range.describe()`` in the interface language: ``a whole number from 1 to 64``."""
    low = format_number(setting.low)
    high = None if setting.high is None else format_number(setting.high)
    translate = QCoreApplication.translate
    if setting.integer:
        if high is None:
            rule = (translate("Range", "a whole number greater than {low}") if setting.low_open
                    else translate("Range", "a whole number at least {low}"))
        elif setting.high_open:
            rule = (translate("Range", "a whole number greater than {low} and below {high}") if setting.low_open
                    else translate("Range", "a whole number at least {low} and below {high}"))
        elif setting.low_open:
            rule = translate("Range", "a whole number greater than {low} and at most {high}")
        else:
            rule = translate("Range", "a whole number from {low} to {high}")
    elif high is None:
        rule = (translate("Range", "a number greater than {low}") if setting.low_open
                else translate("Range", "a number at least {low}"))
    elif setting.high_open:
        rule = (translate("Range", "a number greater than {low} and below {high}") if setting.low_open
                else translate("Range", "a number at least {low} and below {high}"))
    elif setting.low_open:
        rule = translate("Range", "a number greater than {low} and at most {high}")
    else:
        rule = translate("Range", "a number from {low} to {high}")
    return rule.format(low=low, high=high)


def name(setting: Range) -> str:
    """The range's name (``learning rate``) in the interface language."""
    return text(setting.name)


def refusal(setting: Range, got) -> str:
    """``Range.message(got)`` in the interface language: ``learning rate must be ..., got 0``.  The value part
    is the engine's own (the number as typed, or the text quoted)."""
    shown = setting.message(got).rpartition(", got ")[2]
    return QCoreApplication.translate("Range", "{name} must be {rule}, got {value}").format(
        name=name(setting), rule=describe(setting), value=shown)


def hidden_rule() -> str:
    """The hidden layers' rule as one sentence (no full stop)."""
    return QCoreApplication.translate("Range", "Up to {layers} hidden layers of {low} to {high} units each, their "
                                      "widths separated by commas: 4, 4,4 or 8,4").format(
        layers=MAX_LAYERS, low=HIDDEN.low, high=HIDDEN.high)


def hidden_refusal(text_typed: str) -> str:
    """Why ``nn_core.config.parse_hidden`` refuses ``text_typed`` (it must refuse it), as it says it, in the
    interface language."""
    parts = str(text_typed).split(",")
    if not all(part.strip().isdecimal() for part in parts):
        return QCoreApplication.translate("Range", "hidden layers must be widths separated by commas, such as 4 or "
                                          "8,4; got {text}").format(text=repr(text_typed))
    if len(parts) > MAX_LAYERS:
        return QCoreApplication.translate("Range", "at most {layers} hidden layers, got {count}").format(
            layers=MAX_LAYERS, count=len(parts))
    bad = next(int(part) for part in parts if not HIDDEN.contains(int(part)))
    return refusal(HIDDEN, bad)
