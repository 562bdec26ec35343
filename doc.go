// Package chatspec is the root of the chatspec module: a conformance and fuzz
// test harness for ChatOS and Pat Chat servers. The command is cmd/chatspec;
// see README.md. This package holds only repository-wide tests.
package chatspec
