#pragma once
/// @file screenshotcommand.h
/// `concord screenshot PROJECT --out FILE.png [--item ID] [--view annotate|agreement|review]
/// [--size WxH] [--annotator ID] [--palette light|dark]`: renders the main window offscreen,
/// exactly as the app wires it, to a PNG, in the Fusion style with a light (its standard) or a dark
/// palette. Reads the project and never writes labels (no label is made).

#include <string>
#include <vector>

namespace concord::app {

/// Runs the command on its arguments (those after "screenshot"). Returns 0, 1 or 2 (bad arguments).
int runScreenshotCommand(const std::vector<std::string> &args);

} // namespace concord::app
