package main

import (
	"context"
	"encoding/json"

	apiv1 "k8s.io/api/core/v1"

	argoerrors "github.com/argoproj/argo-workflows/v4/errors"
	wfv1 "github.com/argoproj/argo-workflows/v4/pkg/apis/workflow/v1alpha1"
	"github.com/argoproj/argo-workflows/v4/util/template"
	"github.com/argoproj/argo-workflows/v4/workflow/common"
	"github.com/argoproj/argo-workflows/v4/workflow/util"
)

// substituted is a template after the controller's substitutions, and the main containers of
// the pod it creates for it (what the kubelet then starts, before its own $(VAR) expansion).
type substituted struct {
	Template   *wfv1.Template    `json:"template"`
	Containers []apiv1.Container `json:"containers"`
}

// The path executeScript appends to a script template's args (common.ExecutorScriptSourcePath).
var scriptSourcePath = common.ExecutorScriptSourcePath

// substitute follows a pod template through the workflow-controller:
//  1. executeTemplate: common.ProcessArgs with the caller's arguments (inputs.parameters.*), the
//     globals (workflow.*, …) and the node's locals (pod.name, …): globals and locals, then inputs.
//  2. executeContainer / executeScript / executeContainerSet pick the main containers.
//  3. createWorkflowPod's last pass (substitutePodParams): template.Replace over the pod with the
//     globals, the template's inputs and pod.name.
//  4. createWorkflowPod applies the template's podSpecPatch (processPodSpecPatch: substituted once
//     more with the globals and pod.name, then merged into the pod spec by util.ApplyPodSpecPatch),
//     before it wraps the main containers' command in the emissary.
func substitute(ctx context.Context, tmpl *wfv1.Template, vars map[string]string) (substituted, error) {
	s := newScope(vars)
	processed, err := common.ProcessArgs(ctx, tmpl, &wfv1.Arguments{Parameters: s.inputs}, s.globals, s.locals, false, "", nil)
	if err != nil {
		return substituted{}, err
	}
	containers, err := podPass(ctx, processed, mainContainers(processed), s)
	if err != nil {
		return substituted{}, err
	}
	containers, err = patchPass(ctx, processed, containers, s)
	if err != nil {
		return substituted{}, err
	}
	return substituted{Template: processed, Containers: containers}, nil
}

func mainContainers(tmpl *wfv1.Template) []apiv1.Container {
	switch {
	case tmpl.Container != nil:
		main := tmpl.Container.DeepCopy()
		main.Name = common.MainContainerName
		return []apiv1.Container{*main}
	case tmpl.Script != nil:
		main := tmpl.Script.Container.DeepCopy()
		main.Name = common.MainContainerName
		if len(tmpl.Script.Source) > 0 {
			main.Args = append(main.Args, scriptSourcePath)
		}
		return []apiv1.Container{*main}
	case tmpl.ContainerSet != nil:
		return tmpl.ContainerSet.GetContainers()
	}
	return []apiv1.Container{}
}

func podPass(ctx context.Context, tmpl *wfv1.Template, containers []apiv1.Container, s scope) ([]apiv1.Container, error) {
	podParams := s.globals.DeepCopy()
	for _, input := range tmpl.Inputs.Parameters {
		podParams[inputPrefix+input.Name] = input.Value.String()
	}
	if name, ok := s.locals[common.LocalVarPodName]; ok {
		podParams[common.LocalVarPodName] = name
	}
	pod := apiv1.Pod{Spec: apiv1.PodSpec{Containers: containers}}
	podBytes, err := json.Marshal(pod)
	if err != nil {
		return nil, err
	}
	replaced, err := template.Replace(ctx, string(podBytes), podParams, true)
	if err != nil {
		return nil, err
	}
	var out apiv1.Pod
	if err := json.Unmarshal([]byte(replaced), &out); err != nil {
		return nil, argoerrors.InternalWrapError(err)
	}
	return out.Spec.Containers, nil
}

func patchPass(ctx context.Context, tmpl *wfv1.Template, containers []apiv1.Container, s scope) ([]apiv1.Container, error) {
	if !tmpl.HasPodSpecPatch() {
		return containers, nil
	}
	processed, err := common.ProcessArgs(ctx, tmpl.DeepCopy(), &wfv1.Arguments{}, s.globals, s.locals, false, "", nil)
	if err != nil {
		return nil, err
	}
	spec, err := util.ApplyPodSpecPatch(apiv1.PodSpec{Containers: containers}, processed.PodSpecPatch)
	if err != nil {
		return nil, err
	}
	return spec.Containers, nil
}
