// KithStore
