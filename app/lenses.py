"""The ways of looking inside the single run's network: one tab each beside the output surface.

A lens is a QWidget with ``show_network(at: app.inside.NetworkAt)``; if it draws later than it is shown (in the
background, or on a timer), ``behind()`` says whether the last network is still to be drawn (a script's
screenshot waits for it), and ``shutdown()`` ends its background work as the window closes.  A new lens is one
entry in ``LENSES`` plus its module and test; each factory imports its view when the window is built, so that
the command line's parser stays light.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP


@dataclass(frozen=True)
class Lens:
    key: str  # the command line's --lens value
    title: str  # the tab's text, translated in context "Lens"
    tip: str  # the tab's tool tip, translated in context "Lens"
    factory: Callable | None  # (live) -> QWidget with show_network(at); live: app.liveview's; None: the output surface


OUTPUT = Lens("output", QT_TRANSLATE_NOOP("Lens", "Output"),
              QT_TRANSLATE_NOOP("Lens", "The network's output over the unit square, as a 3D surface"), None)



def _units(_live):
    from .units_view import UnitsView

    return UnitsView()


def _gradcheck(_live):
    from .gradcheck_view import GradientCheckView

    return GradientCheckView()


def _landscape(live):
    from .landscape_view import LandscapeView

    return LandscapeView(live=live)


LENSES: tuple[Lens, ...] = (  # in tab order, after OUTPUT
    Lens("units", QT_TRANSLATE_NOOP("Lens", "Hidden units"),
         QT_TRANSLATE_NOOP("Lens", "Every unit's output over the unit square, named by the gate it computes, and "
                           "the network's diagram with its weights and biases"), _units),
    Lens("gradcheck", QT_TRANSLATE_NOOP("Lens", "Gradient check"),
         QT_TRANSLATE_NOOP("Lens", "Every method's gradient against backprop at the present parameters, and its "
                           "error against h from 1e-12 to 0.1"), _gradcheck),
    Lens("landscape", QT_TRANSLATE_NOOP("Lens", "Loss landscape"),
         QT_TRANSLATE_NOOP("Lens", "The loss over a plane through the present parameters, with the path of training "
                           "projected onto it"), _landscape),
)


def lens_keys() -> tuple[str, ...]:
    """``--lens``'s choices: "output" and each lens's key, in tab order."""
    return (OUTPUT.key,) + tuple(lens.key for lens in LENSES)
