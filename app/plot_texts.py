"""pyqtgraph's own words on the loss curve's right-click menu, for the catalogue.

pyqtgraph looks its menu texts up with ``QCoreApplication.translate`` under its own contexts (``ViewBox``,
``PlotItem``, ``GraphicsScene``, ``Form``) but ships no Japanese; listing them here puts them in GateLab's
catalogue, so the menu's first level and the axis panel read in Japanese.  The Plot Options panels (transforms,
downsampling ...) are pyqtgraph's tools for plot developers and stay English.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

PYQTGRAPH_TEXTS = (
    QT_TRANSLATE_NOOP("ViewBox", "ViewBox options"),
    QT_TRANSLATE_NOOP("ViewBox", "View All"),
    QT_TRANSLATE_NOOP("ViewBox", "axis"),
    QT_TRANSLATE_NOOP("ViewBox", "Mouse Mode"),
    QT_TRANSLATE_NOOP("ViewBox", "3 button"),
    QT_TRANSLATE_NOOP("ViewBox", "1 button"),
    QT_TRANSLATE_NOOP("PlotItem", "Plot Options"),
    QT_TRANSLATE_NOOP("PlotItem", "Transforms"),
    QT_TRANSLATE_NOOP("PlotItem", "Downsample"),
    QT_TRANSLATE_NOOP("PlotItem", "Average"),
    QT_TRANSLATE_NOOP("PlotItem", "Alpha"),
    QT_TRANSLATE_NOOP("PlotItem", "Grid"),
    QT_TRANSLATE_NOOP("PlotItem", "Points"),
    QT_TRANSLATE_NOOP("GraphicsScene", "Export..."),
    # The axis panel (pyqtgraph/graphicsItems/ViewBox/axisCtrlTemplate_generic.py).
    QT_TRANSLATE_NOOP("Form", "Link Axis:"),
    QT_TRANSLATE_NOOP("Form", "Auto"),
    QT_TRANSLATE_NOOP("Form", "Manual"),
    QT_TRANSLATE_NOOP("Form", "Invert Axis"),
    QT_TRANSLATE_NOOP("Form", "Mouse Enabled"),
    QT_TRANSLATE_NOOP("Form", "Visible Data Only"),
    QT_TRANSLATE_NOOP("Form", "Auto Pan Only"),
)
