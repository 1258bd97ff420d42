import { v7 as uuidv7 } from 'uuid'

/** A fresh id for what a command makes (uuid v7: time-ordered, indexes well). */
export const newId = (): string => uuidv7()
