package steps

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/cucumber/godog"
	messages "github.com/cucumber/messages/go/v34"
)

// ErrBudget is matched when chatspec's own time budget for the run ran out
// (the run was cancelled or hit its deadline) while a scenario waited: the
// server was not judged, so the row is INCONCLUSIVE.
var ErrBudget = errors.New("chatspec's own time budget ran out")

// StageError names the part of a scenario a helper was doing when it failed
// ("alice could not log in", see COP-3.4-1). By itself it is an ordinary
// failure; when the step that failed sets the scenario up (a Given, or an
// And after one), the runner turns it into a *SetupError naming the stage.
type StageError struct {
	What string // what could not be done
	See  string // a requirement whose own scenario checks it, or ""
	Err  error  // the cause
}

func (e *StageError) Error() string { return e.What + ": " + e.Err.Error() }

// Unwrap exposes the cause (a *CheckError, often).
func (e *StageError) Unwrap() error { return e.Err }

// Stage wraps err with the stage it failed in; nil stays nil. An error that
// already names a stage keeps the innermost one (the login inside a
// negotiation is the more precise), and harness defects pass unchanged.
func Stage(what, see string, err error) error {
	var st *StageError
	if err == nil || errors.Is(err, ErrHarness) || errors.Is(err, ErrInconclusive) || errors.As(err, &st) {
		return err
	}
	return &StageError{What: what, See: see, Err: err}
}

// Restage names the stage err failed in, replacing any stage named inside
// it: for a helper whose own requirement is the whole of what it does (a
// crowd of logins is PAT-3-5's check, not a login's). Nil stays nil.
func Restage(what, see string, err error) error {
	if err == nil || errors.Is(err, ErrHarness) || errors.Is(err, ErrInconclusive) {
		return err
	}
	return &StageError{What: what, See: see, Err: err}
}

// stepWatch remembers the first step of a scenario that failed, so the
// verdict can tell a setup that could not complete from a failed check.
type stepWatch struct {
	failed *godog.Step
}

// watchSteps registers the step hook that fills w.
func watchSteps(sc *godog.ScenarioContext, w *stepWatch) {
	sc.StepContext().After(func(ctx context.Context, st *godog.Step, _ godog.StepResultStatus, err error) (context.Context, error) {
		if err != nil && w.failed == nil {
			w.failed = st
		}
		return ctx, nil
	})
}

// isSetup says whether a step sets the scenario up: Given, or And/But after
// a Given (godog gives both the type Context).
func isSetup(st *godog.Step) bool {
	return st != nil && st.Type == messages.PickleStepType_CONTEXT
}

// isAction says whether a step is a When (or an And/But after one).
func isAction(st *godog.Step) bool {
	return st != nil && st.Type == messages.PickleStepType_ACTION
}

// judge decides what a scenario's error means for its verdict. A setup step
// (Given) that could not complete blocks the scenario: INCONCLUSIVE. So does
// a When whose helper failed at a stage that another requirement's own
// scenario checks (a join in a scenario about history): the scenario never
// reached its check. A Then is a check and fails. Whatever the step, a
// blocked stage that one of the scenario's own requirements checks is that
// requirement's failure. A run that ran out of its own time is
// INCONCLUSIVE; harness defects and godog's statuses stay as they are.
func judge(runCtx context.Context, err error, failed *godog.Step, reqs []string) error {
	if err == nil || errors.Is(err, ErrHarness) || errors.Is(err, errTargetGone) || godogStatus(err) {
		return err
	}
	if runCtx.Err() != nil && !errors.Is(err, ErrInconclusive) {
		return &SetupError{What: "the run stopped before the scenario ended", Err: fmt.Errorf("%w: %v", ErrBudget, runCtx.Err())}
	}
	var se *SetupError
	var st *StageError
	staged := errors.As(err, &st)
	switch {
	case errors.As(err, &se):
	case staged && st.See != "" && slices.Contains(reqs, st.See):
		return ownFailure(&SetupError{What: st.What, See: st.See, Err: st.Err})
	case staged && (isSetup(failed) || isAction(failed) && st.See != ""):
		se = &SetupError{What: st.What, See: st.See, Err: st.Err}
	case isSetup(failed):
		se = &SetupError{What: fmt.Sprintf("the step %q could not complete", failed.Text), Err: err}
	default:
		return err
	}
	if se.See != "" && slices.Contains(reqs, se.See) {
		return ownFailure(se)
	}
	return se
}

// ownFailure is a blocked setup read as the failure it is when the scenario
// checks that very thing: the cause, prefixed with what could not be done.
func ownFailure(se *SetupError) error {
	if ce, ok := AsCheck(se.Err); ok {
		own := *ce
		own.Msg = se.What + ": " + ce.Msg
		return &own
	}
	return fmt.Errorf("%s: %w", se.What, se.Err)
}

// godogStatus reports godog's own step statuses (undefined, pending,
// skipped), which are no verdict on the server.
func godogStatus(err error) bool {
	return errors.Is(err, godog.ErrUndefined) || errors.Is(err, godog.ErrPending) || errors.Is(err, godog.ErrSkip)
}

// blockedMessage is the row message of an INCONCLUSIVE scenario: what could
// not be set up and the headline of the cause (its expected and actual go
// to the row's Check).
func blockedMessage(err error) string {
	var se *SetupError
	ce, isCheck := AsCheck(err)
	if !errors.As(err, &se) || !isCheck {
		return err.Error()
	}
	msg := "blocked: " + se.What
	if se.See != "" {
		msg += ", see " + se.See
	}
	return msg + ": " + ce.Msg
}
