package main

import (
	"strings"

	wfv1 "github.com/argoproj/argo-workflows/v4/pkg/apis/workflow/v1alpha1"
	"github.com/argoproj/argo-workflows/v4/workflow/common"
)

// scope sorts the flat variables a request gives (`workflow.name`, `inputs.parameters.x`,
// `tasks.a.outputs.parameters.y`, `pod.name`, …) into the sets the workflow-controller keeps apart:
// it substitutes globals and locals first, then a template's inputs, and a DAG's `tasks.*` /
// a steps' `steps.*` only when it resolves one task's references.
type scope struct {
	globals common.Parameters
	locals  common.Parameters
	inputs  []wfv1.Parameter // as the arguments the caller of the template passed
	tasks   common.Parameters
}

// Variables the controller sets per node (executeTemplate's localParams), not per workflow.
var localNames = map[string]bool{
	common.LocalVarPodName: true, "node.name": true, "tasks.name": true, "steps.name": true,
	common.LocalVarRetries: true, common.LocalVarRetriesLastExitCode: true, common.LocalVarRetriesLastStatus: true,
	common.LocalVarRetriesLastDuration: true, common.LocalVarRetriesLastMessage: true,
}

const inputPrefix = "inputs.parameters."

func newScope(vars map[string]string) scope {
	s := scope{globals: common.Parameters{}, locals: common.Parameters{}, tasks: common.Parameters{}}
	for name, value := range vars {
		switch {
		case localNames[name]:
			s.locals[name] = value
		case strings.HasPrefix(name, inputPrefix):
			s.inputs = append(s.inputs, wfv1.Parameter{Name: name[len(inputPrefix):], Value: wfv1.AnyStringPtr(value)})
		case strings.HasPrefix(name, "tasks.") || strings.HasPrefix(name, "steps."):
			s.tasks[name] = value
		default:
			s.globals[name] = value
		}
	}
	return s
}

// declared lists the inputs as a template declares them (names only: the values come as arguments).
func (s scope) declared() []wfv1.Parameter {
	declared := make([]wfv1.Parameter, len(s.inputs))
	for i, input := range s.inputs {
		declared[i] = wfv1.Parameter{Name: input.Name}
	}
	return declared
}
