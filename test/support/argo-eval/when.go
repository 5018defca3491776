package main

import (
	"context"
	"encoding/json"
	_ "unsafe" // for go:linkname

	argoerrors "github.com/argoproj/argo-workflows/v4/errors"
	wfv1 "github.com/argoproj/argo-workflows/v4/pkg/apis/workflow/v1alpha1"
	"github.com/argoproj/argo-workflows/v4/util/template"
	"github.com/argoproj/argo-workflows/v4/workflow/common"
	_ "github.com/argoproj/argo-workflows/v4/workflow/controller" // links shouldExecute
)

// whenResult is what the controller concludes about a DAG task's `when`.
type whenResult struct {
	Value    bool
	Resolved *string // the string after substitution, as shouldExecute saw it (nil if it failed before)
}

// evaluateWhen follows a DAG task's `when` through the workflow-controller (workflow/controller):
//  1. executeTemplate runs common.ProcessArgs over the DAG template: globals and locals, then the
//     template's inputs, are substituted everywhere in it, the tasks' `when` included; `tasks.*` stays.
//  2. resolveDependencyReferences (dag.go) JSON-encodes the `when`, substitutes the globals and the
//     task's scope (the DAG's inputs and its dependencies' tasks.*) with template.ReplaceStrict
//     (tasks.* and steps.* must resolve), and decodes it.
//  3. shouldExecute (steps.go) decides run or Skipped.
//
// Steps 1 and 2 call the exported functions the controller calls; step 3 is the controller's function.
func evaluateWhen(ctx context.Context, when string, vars map[string]string) (whenResult, error) {
	s := newScope(vars)
	dag := &wfv1.Template{
		Name:   "dag",
		Inputs: wfv1.Inputs{Parameters: s.declared()},
		DAG:    &wfv1.DAGTemplate{Tasks: []wfv1.DAGTask{{Name: "task", Template: "task", When: when}}},
	}
	processed, err := common.ProcessArgs(ctx, dag, &wfv1.Arguments{Parameters: s.inputs}, s.globals, s.locals, false, "", nil)
	if err != nil {
		return whenResult{}, err
	}
	whenBytes, err := json.Marshal(processed.DAG.Tasks[0].When)
	if err != nil {
		return whenResult{}, argoerrors.InternalWrapError(err)
	}
	// The task scope (buildLocalScopeFromTask → createScope) starts from the DAG template's inputs.
	taskScope := common.Parameters{}
	for _, input := range processed.Inputs.Parameters {
		taskScope[inputPrefix+input.Name] = input.Value.String()
	}
	merged := s.globals.Merge(taskScope, s.tasks)
	resolvedJSON, err := template.ReplaceStrict(ctx, string(whenBytes), merged, []string{"tasks", "steps"})
	if err != nil {
		return whenResult{}, err
	}
	var resolved string
	if err := json.Unmarshal([]byte(resolvedJSON), &resolved); err != nil {
		return whenResult{}, argoerrors.InternalWrapError(err)
	}
	value, err := shouldExecute(resolved)
	return whenResult{Value: value, Resolved: &resolved}, err
}

// shouldExecute is the workflow-controller's own function (workflow/controller/steps.go), which
// decides Skipped or run. It is unexported, so it is linked by name; setup-argo-eval.sh checks that
// the Argo version built has it with this signature (the linker does not compare signatures).
//
//go:linkname shouldExecute github.com/argoproj/argo-workflows/v4/workflow/controller.shouldExecute
func shouldExecute(when string) (bool, error)
