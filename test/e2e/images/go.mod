module polyaxon-argo/e2e-images

go 1.24
