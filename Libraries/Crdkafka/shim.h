#ifndef CIVICPULSE_CRDKAFKA_SHIM_H
#define CIVICPULSE_CRDKAFKA_SHIM_H
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#endif
