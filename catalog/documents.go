package catalog

import (
	"crypto/sha256"
	"encoding/hex"
)

// Document is a protocol document the catalogue reads requirements from.
type Document struct {
	Title  string `json:"title"`
	SHA256 string `json:"sha256"`
}

// Documents names, per protocol, the document its requirements come from,
// with the SHA-256 of its text as chatspec was written against it. The
// digests were computed at development time from the documents themselves
// (the project's shared seeds): ChatOS from 000_aac996dec5bee438.txt, Pat
// Chat from 004_bc880f08c4bb541f.txt. A certificate quotes them, so a
// reader can tell which edition of a protocol a server was certified to.
var Documents = map[string]Document{
	ChatOS:  {Title: "ChatOS Protocol (COP): anonymized direct TCP chat service", SHA256: "d35daa131710c6e6154a1ddd2366b61b978fcf62fed2a33e99b02616a9f3bd98"},
	PatChat: {Title: "Pat Chat: Internet Relay Chat class project", SHA256: "62dfaa3220e3a0cf7993dd031c423b4945dfd030685270d4bbb80f0036d2afba"},
}

// Digest is the SHA-256 of the embedded catalogue (requirements.tsv): two
// runs with the same digest judged against the same requirements.
func Digest() string {
	sum := sha256.Sum256(requirementsTSV)
	return hex.EncodeToString(sum[:])
}
