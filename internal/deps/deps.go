package deps
import (
	_ "github.com/cucumber/godog"
	_ "github.com/cucumber/messages/go/v34"
	_ "github.com/stretchr/testify/require"
	_ "github.com/olekukonko/tablewriter"
	_ "golang.org/x/crypto/bcrypt"
)
