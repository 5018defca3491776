package main

import (
	apiv1 "k8s.io/api/core/v1"
	"k8s.io/kubernetes/third_party/forked/golang/expansion"
)

// expanded is a container as its process sees it once the kubelet has expanded `$(VAR)`.
type expanded struct {
	Command []string          `json:"command"`
	Args    []string          `json:"args"`
	Env     map[string]string `json:"env"`
}

// expand follows the kubelet (k8s.io/kubernetes/pkg/kubelet):
//   - makeEnvironmentVariables (kubelet_pods.go): in declared order, a `value` is expanded against the
//     variables declared before it (a later declaration of the same name wins); a `valueFrom` takes
//     its resolved value as is. Here `sources` gives those resolved values (a secret's, a field's);
//     one missing is left out, as the kubelet leaves out an optional source that does not exist.
//   - ExpandContainerCommandAndArgs (container/helpers.go): command and args, against the final env.
//
// Both call Kubernetes' own expansion package; pkg/kubelet itself is not importable at a useful cost.
func expand(container apiv1.Container, sources map[string]string) expanded {
	env := map[string]string{}
	mapping := expansion.MappingFuncFor(env)
	for _, variable := range container.Env {
		value := variable.Value
		if value != "" {
			value = expansion.Expand(value, mapping)
		} else if variable.ValueFrom != nil {
			resolved, ok := sources[variable.Name]
			if !ok {
				continue // as the kubelet does for an optional source that is missing
			}
			value = resolved
		}
		env[variable.Name] = value
	}
	final := expansion.MappingFuncFor(env)
	return expanded{Command: expandAll(container.Command, final), Args: expandAll(container.Args, final), Env: env}
}

func expandAll(values []string, mapping func(string) string) []string {
	out := []string{}
	for _, value := range values {
		out = append(out, expansion.Expand(value, mapping))
	}
	return out
}
