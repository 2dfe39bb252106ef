// Package uvloop gives the binding's tests a libuv loop of their own, as a
// host that runs one would have, to attach an engine to.
package uvloop

/*
#cgo pkg-config: libuv
#include <stdlib.h>
#include <uv.h>
*/
import "C"

import (
	"errors"
	"unsafe"
)

// Loop is a libuv loop owned by Go code.
type Loop struct{ p *C.uv_loop_t }

// New initialises a loop.
func New() (*Loop, error) {
	p := (*C.uv_loop_t)(C.malloc(C.size_t(C.uv_loop_size())))
	if C.uv_loop_init(p) != 0 {
		C.free(unsafe.Pointer(p))
		return nil, errors.New("uv_loop_init failed")
	}
	return &Loop{p: p}, nil
}

// Pointer is the uv_loop_t, for Engine.Attach.
func (l *Loop) Pointer() unsafe.Pointer { return unsafe.Pointer(l.p) }

// RunOnce runs what is ready without waiting (UV_RUN_NOWAIT).
func (l *Loop) RunOnce() { C.uv_run(l.p, C.UV_RUN_NOWAIT) }

// Close closes the loop; it fails while handles are still open on it.
func (l *Loop) Close() error {
	if rc := C.uv_loop_close(l.p); rc != 0 {
		return errors.New(C.GoString(C.uv_strerror(rc)))
	}
	C.free(unsafe.Pointer(l.p))
	return nil
}
