// The stand-in: every program a pipeline's image names (python, etl, curl, sh, git…) is this
// one binary under that name. It reports what the process received (argv, environment, working
// directory, user, the files of its mounted volumes) to the end-to-end scenario's server, and
// does what the scenario answers: run the real program (busybox or git, kept in /opt/real/bin),
// or write files, print, sleep and exit with a code, like the program it stands for.
//
// The server's address comes from the image's environment (E2E_STANDIN_URL), set when the
// suite imports the image. Programs started by a real program (a shell's `mkdir`, say) are
// reported too, marked nested, and by default run for real.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

const (
	realBin     = "/opt/real/bin"
	nestedEnv   = "E2E_STANDIN_NESTED"
	maxFileSize = 64 << 10
	maxFiles    = 4 << 20
)

type report struct {
	Argv     []string          `json:"argv"`
	Env      map[string]string `json:"env"`
	Cwd      string            `json:"cwd"`
	UID      int               `json:"uid"`
	GID      int               `json:"gid"`
	Hostname string            `json:"hostname"`
	Nested   bool              `json:"nested"`
	Real     bool              `json:"real"`
	Files    map[string]string `json:"files"`
}

type answer struct {
	ID       int               `json:"id"`
	Exec     bool              `json:"exec"`
	Stdout   string            `json:"stdout"`
	Stderr   string            `json:"stderr"`
	Files    map[string]string `json:"files"`
	RunMs    int64             `json:"runMs"`
	ExitCode int               `json:"exitCode"`
}

func main() {
	name := filepath.Base(os.Args[0])
	realPath := filepath.Join(realBin, name)
	_, err := os.Stat(realPath)
	hasReal := err == nil
	nested := os.Getenv(nestedEnv) != ""

	r := report{Argv: os.Args, Env: map[string]string{}, UID: os.Getuid(), GID: os.Getgid(), Nested: nested, Real: hasReal}
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		if k != nestedEnv {
			r.Env[k] = v
		}
	}
	r.Cwd, _ = os.Getwd()
	r.Hostname, _ = os.Hostname()
	if !nested {
		r.Files = mountedFiles()
	}

	a, err := ask(r)
	if err != nil {
		fmt.Fprintf(os.Stderr, "standin: %s: cannot reach the scenario server: %v\n", name, err)
		if !(nested && hasReal) {
			os.Exit(127)
		}
		a = answer{Exec: true}
	}
	if a.Exec {
		if !hasReal {
			fmt.Fprintf(os.Stderr, "standin: %s: no real program to run\n", name)
			os.Exit(127)
		}
		env := append(os.Environ(), nestedEnv+"=1")
		err := syscall.Exec(realPath, os.Args, env)
		fmt.Fprintf(os.Stderr, "standin: exec %s: %v\n", realPath, err)
		os.Exit(126)
	}
	os.Stdout.WriteString(a.Stdout)
	os.Stderr.WriteString(a.Stderr)
	for path, content := range a.Files {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err == nil {
			err = os.WriteFile(path, []byte(content), 0o644)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "standin: writing %s: %v\n", path, err)
			os.Exit(1)
		}
	}
	if a.RunMs < 0 {
		for { // until a signal ends the process, as a daemon's would
			time.Sleep(time.Hour)
		}
	}
	time.Sleep(time.Duration(a.RunMs) * time.Millisecond)
	done(a.ID)
	os.Exit(a.ExitCode)
}

// done tells the server the process ends now (for concurrency measured to the millisecond).
// The time is the process's own (pods share the machine's clock), so a report that needs a
// retry still says when the process ended; a lost report would read as a process still running.
func done(id int) {
	body, _ := json.Marshal(map[string]int64{"id": int64(id), "endedMs": time.Now().UnixMilli()})
	client := http.Client{Timeout: 5 * time.Second}
	for attempt := 0; attempt < 10; attempt++ {
		res, err := client.Post(os.Getenv("E2E_STANDIN_URL")+"/done", "application/json", bytes.NewReader(body))
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusNoContent {
				return
			}
		}
		time.Sleep(500 * time.Millisecond)
	}
	fmt.Fprintln(os.Stderr, "standin: cannot tell the scenario server the process ended")
}

func ask(r report) (answer, error) {
	var a answer
	url := os.Getenv("E2E_STANDIN_URL")
	if url == "" {
		return a, fmt.Errorf("E2E_STANDIN_URL is not set")
	}
	body, err := json.Marshal(r)
	if err != nil {
		return a, err
	}
	client := http.Client{Timeout: 2 * time.Minute}
	var res *http.Response
	// The pod's network may take a moment to route: try for a few seconds.
	for attempt := 0; ; attempt++ {
		res, err = client.Post(url+"/run", "application/json", bytes.NewReader(body))
		if err == nil || attempt == 20 {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	if err != nil {
		return a, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return a, fmt.Errorf("HTTP %d", res.StatusCode)
	}
	return a, json.NewDecoder(res.Body).Decode(&a)
}

// mountedFiles reads the regular files of the volumes mounted into the container (what init
// containers wrote, secrets, claims…), each up to 64 KiB, 4 MiB in all; system mounts are skipped.
func mountedFiles() map[string]string {
	files := map[string]string{}
	mounts, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return files
	}
	defer mounts.Close()
	total := 0
	scanner := bufio.NewScanner(mounts)
	for scanner.Scan() {
		fields := strings.Fields(scanner.Text())
		if len(fields) < 5 || systemMount(fields[4]) {
			continue
		}
		_ = filepath.WalkDir(fields[4], func(path string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() || total > maxFiles {
				return nil
			}
			if _, seen := files[path]; seen || systemMount(path) {
				return nil
			}
			content, err := os.ReadFile(path)
			if err != nil || len(content) > maxFileSize {
				return nil
			}
			files[path] = string(content)
			total += len(content)
			return nil
		})
	}
	return files
}

func systemMount(path string) bool {
	if path == "/" {
		return true
	}
	for _, prefix := range []string{"/proc", "/sys", "/dev", "/etc/hosts", "/etc/hostname", "/etc/resolv.conf", "/var/run/argo", "/var/run/secrets/kubernetes.io", "/run/secrets/kubernetes.io"} {
		if path == prefix || strings.HasPrefix(path, prefix+"/") {
			return true
		}
	}
	return false
}
