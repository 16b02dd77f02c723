// wse.js: the WSE browser library (being written).
