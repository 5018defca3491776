// Command argo-eval answers, one JSON line per request on stdin, what Argo's workflow-controller
// and Kubernetes' kubelet do at run time with our strings, by running their own code:
//
//	{"id":1,"op":"when","expr":"...","vars":{"tasks.a.outputs.parameters.x":"yes"}}
//	{"id":2,"op":"substitute","template":{...},"vars":{"inputs.parameters.a":"1"}}
//	{"id":3,"op":"expand","container":{...},"sources":{"SECRET_VAR":"value"}}
//	{"id":4,"op":"version"}
//
// Each answer is one line: {"id":…,"ok":true,"value":…} or {"id":…,"ok":false,"error":"…"}.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	apiv1 "k8s.io/api/core/v1"

	wfv1 "github.com/argoproj/argo-workflows/v4/pkg/apis/workflow/v1alpha1"
	"github.com/argoproj/argo-workflows/v4/util/logging"
	"github.com/argoproj/argo-workflows/v4/util/template"
)

type request struct {
	ID        json.RawMessage   `json:"id"`
	Op        string            `json:"op"`
	Expr      string            `json:"expr"`
	Vars      map[string]string `json:"vars"`
	Template  *wfv1.Template    `json:"template"`
	Container *apiv1.Container  `json:"container"`
	Sources   map[string]string `json:"sources"`
}

type response struct {
	ID    json.RawMessage `json:"id,omitempty"`
	OK    bool            `json:"ok"`
	Value any             `json:"value,omitempty"`
	Error string          `json:"error,omitempty"`
	// Resolved (when): the expression after substitution, as the controller's evaluator saw it.
	Resolved *string `json:"resolved,omitempty"`
	// Missing: the controller would not fail on this error but wait (requeue) for the variable.
	Missing bool `json:"missing,omitempty"`
}

func main() {
	// Argo's substitution logs at debug level through the context's logger; errors only, on stderr.
	ctx := logging.WithLogger(context.Background(), logging.NewSlogLogger(logging.Error, logging.Text))
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	out := bufio.NewWriter(os.Stdout)
	encoder := json.NewEncoder(out)
	encoder.SetEscapeHTML(false)
	for {
		line, err := in.ReadBytes('\n')
		if len(line) > 0 {
			if err := encoder.Encode(answer(ctx, line)); err != nil {
				fmt.Fprintln(os.Stderr, "argo-eval:", err)
				os.Exit(1)
			}
			// Flush only when no further request is already waiting, so a batch costs one write.
			if in.Buffered() == 0 {
				if err := out.Flush(); err != nil {
					os.Exit(1)
				}
			}
		}
		if err == io.EOF {
			_ = out.Flush()
			return
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "argo-eval:", err)
			os.Exit(1)
		}
	}
}

func answer(ctx context.Context, line []byte) (r response) {
	var req request
	if err := json.Unmarshal(line, &req); err != nil {
		return response{Error: "argo-eval: the request is not JSON: " + err.Error()}
	}
	r.ID = req.ID
	// A panic inside Argo's code (sprig functions panic on bad input, for example) answers that
	// request instead of ending the process.
	defer func() {
		if p := recover(); p != nil {
			r = response{ID: req.ID, Error: fmt.Sprintf("panic: %v", p)}
		}
	}()
	if req.Op == "when" {
		result, err := evaluateWhen(ctx, req.Expr, req.Vars)
		if err != nil {
			return response{ID: req.ID, Error: err.Error(), Missing: template.IsMissingVariableErr(err), Resolved: result.Resolved}
		}
		return response{ID: req.ID, OK: true, Value: result.Value, Resolved: result.Resolved}
	}
	value, err := dispatch(ctx, req)
	if err != nil {
		return response{ID: req.ID, Error: err.Error()}
	}
	return response{ID: req.ID, OK: true, Value: value}
}

func dispatch(ctx context.Context, req request) (any, error) {
	switch req.Op {
	case "substitute":
		if req.Template == nil {
			return nil, fmt.Errorf("argo-eval: substitute needs a template")
		}
		return substitute(ctx, req.Template, req.Vars)
	case "expand":
		if req.Container == nil {
			return nil, fmt.Errorf("argo-eval: expand needs a container")
		}
		return expand(*req.Container, req.Sources), nil
	case "version":
		return versions(), nil
	}
	return nil, fmt.Errorf("argo-eval: unknown op %q (when, substitute, expand, version)", req.Op)
}

// versions lists the modules whose code answers, as linked into this binary.
func versions() map[string]string {
	found := map[string]string{}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return found
	}
	found["go"] = info.GoVersion
	for _, module := range info.Deps {
		found[module.Path] = module.Version
	}
	return found
}
