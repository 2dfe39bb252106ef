module github.com/hotline-engine/hotline/bindings/go

go 1.19
