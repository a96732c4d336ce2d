//! SVG charts, each with a text description and a data-table alternative.
//! (Being written.)
