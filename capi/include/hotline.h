/* Hotline: an embeddable contact-center engine. The umbrella header. */
#ifndef HOTLINE_H
#define HOTLINE_H

#include "hotline/common.h"
#include "hotline/engine.h"
#include "hotline/erlang.h"
#include "hotline/knowledge.h"
#include "hotline/runtime.h"
#include "hotline/store.h"
#include "hotline/sys/storage.h"
#include "hotline/sys/telephony.h"

#endif /* HOTLINE_H */
