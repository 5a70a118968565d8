// fabric-contract-api logs every annotation at info level when its module loads: in a chaincode process that is
// start-up noise once, in the gateway it would be noise in every log. Set before the contracts load.
process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'error';
