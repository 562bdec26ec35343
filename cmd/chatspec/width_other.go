//go:build !linux && !darwin

package main

import "os"

// ttyWidth is 0 (unknown) here: terminalWidth falls back to $COLUMNS.
func ttyWidth(*os.File) int { return 0 }
